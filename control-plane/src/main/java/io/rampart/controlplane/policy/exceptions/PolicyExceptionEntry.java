package io.rampart.controlplane.policy.exceptions;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.policy.rules.PolicyException;
import io.rampart.controlplane.shared.Tenancy;

/** A documented exception to one rule for one practice, as stored: revoked rather than deleted, so the history stays. */
@Entity
@Table(name = "policy_exception")
public class PolicyExceptionEntry extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String ruleId;
    public String reason;
    public String approvedBy;
    /** Inclusive: the exception still holds at this instant. */
    public Instant validUntil;
    public String createdBy;
    public Instant createdAt;
    public String revokedBy;
    public Instant revokedAt;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && !now.isAfter(validUntil);
    }

    /** The exception as the rules take it. */
    public PolicyException forEvaluation() {
        return new PolicyException(ruleId, reason, approvedBy, validUntil);
    }
}
