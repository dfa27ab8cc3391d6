package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A practice's overall compliance (its worst rule) and when it is next due for evaluation. */
@Entity
@Table(name = "practice_compliance")
public class PracticeCompliance extends PanacheEntityBase {

    @Id
    public UUID practiceId;
    public UUID providerId;
    public UUID groupId;
    /** A PracticeStatus name; null until the first evaluation. */
    public String status;
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
