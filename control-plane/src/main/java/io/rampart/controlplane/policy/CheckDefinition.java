package io.rampart.controlplane.policy;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One check a group requires of every practice's agent, with its thresholds. */
@Entity
@Table(name = "check_definition")
@IdClass(CheckDefinition.Key.class)
public class CheckDefinition extends PanacheEntityBase {

    @Id
    public UUID groupId;
    @Id
    public String checkId;
    public UUID providerId;
    /** A CheckKind name without its prefix, e.g. BACKUP_FOLDER. */
    public String kind;
    public long intervalSeconds;
    public Long maxAgeSeconds;
    public Long minSizeBytes;

    public record Key(UUID groupId, String checkId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
