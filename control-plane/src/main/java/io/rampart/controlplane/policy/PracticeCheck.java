package io.rampart.controlplane.policy;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A practice's own word on one check: a check of its own, or in place of its group's check of the same id (the whole
 * definition, not field by field), or, when {@code removed}, that the group's check is not run at this practice.
 * See {@link ConfiguredChecks} for how it merges with the group's check set.
 */
@Entity
@Table(name = "practice_check")
@IdClass(PracticeCheck.Key.class)
public class PracticeCheck extends PanacheEntityBase {

    @Id
    public UUID practiceId;
    @Id
    public String checkId;
    public UUID providerId;
    public boolean removed;
    /** A CheckKind name without its prefix, e.g. RESTIC_REPOSITORY; null when removed. */
    public String kind;
    /** Null when removed. */
    public Long intervalSeconds;
    /** The kind's settings message as protobuf JSON; null when removed. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String settings;

    public record Key(UUID practiceId, String checkId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
