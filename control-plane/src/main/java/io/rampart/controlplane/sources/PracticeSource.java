package io.rampart.controlplane.sources;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One setting of one check of a practice, as checks.properties names it ({@code check.<checkId>.<key>}); never a secret. */
@Entity
@Table(name = "practice_source")
public class PracticeSource extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID practiceId;
    public String checkId;
    public String key;
    public String value;
    public Instant updatedAt;
}
