package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.PracticeStatus;

/** A practice's overall compliance (its worst rule) and when it is next due for evaluation. */
@Entity
@Table(name = "practice_compliance")
public class PracticeCompliance extends PanacheEntityBase {

    @Id
    public UUID practiceId;
    public UUID providerId;
    public UUID groupId;
    /** Null until the first evaluation; stored as the enum's name (text), as before it was an enum here. */
    @Enumerated(EnumType.STRING)
    public PracticeStatus status;
    public String reason;
    public Instant since;
    public Integer policyVersion;
    public Instant evaluatedAt;
    /** The control-plane process (pid@host) that evaluated it last. */
    public String evaluatedBy;
    public Instant nextDueAt;
    /** Why the last evaluation threw (root cause class and message); null while evaluations succeed. */
    public String evaluationError;
    /** When evaluations started failing; null while they succeed. */
    public Instant evaluationFailingSince;
    /** Failed evaluations in a row; 0 while they succeed. */
    public int evaluationAttempts;
}
