package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.PracticeStatus;

/** One change of a rule's state for a practice, or of the practice's overall state (no rule). */
@Entity
@Table(name = "compliance_history")
public class ComplianceHistoryEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "compliance_history_ids")
    @SequenceGenerator(name = "compliance_history_ids", sequenceName = "compliance_history_id_seq", allocationSize = 50)
    public Long id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    /** Null for the practice's overall state. */
    public String ruleId;
    /** Stored as the enum's name (text); previousStatus null for a first evaluation. */
    @Enumerated(EnumType.STRING)
    public PracticeStatus status;
    @Enumerated(EnumType.STRING)
    public PracticeStatus previousStatus;
    public String reason;
    public Instant changedAt;
    public int policyVersion;
}
