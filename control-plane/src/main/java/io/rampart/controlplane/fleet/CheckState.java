package io.rampart.controlplane.fleet;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The latest result of one check at one practice (a projection of agent-events). */
@Entity
@Table(name = "check_state")
@IdClass(CheckState.Key.class)
public class CheckState extends PanacheEntityBase {

    @Id
    public UUID practiceId;
    @Id
    public String checkId;
    public UUID providerId;
    public UUID groupId;
    public String kind;
    @Enumerated(EnumType.STRING)
    public CheckOutcome status;
    public String summary;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String details;
    /** Backups dated in the future, as a JSON array of FutureDatedItem (protobuf JSON). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String futureDated;
    /** When the agent observed it, never later than when the control plane received it (clocks lie). */
    public Instant observedAt;
    public UUID eventId;

    public record Key(UUID practiceId, String checkId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
