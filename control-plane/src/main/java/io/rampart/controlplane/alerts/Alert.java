package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.Tenancy;

/** One practice failing one rule: opened when it fails, acknowledged by a person, resolved when the rule passes again. */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    public enum Status {
        OPEN, ACKNOWLEDGED, RESOLVED
    }

    /** How bad: AT_RISK (still inside its grace; only for groups that ask) or FAIL. */
    public enum Level {
        AT_RISK, FAIL
    }

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String ruleId;
    @Enumerated(EnumType.STRING)
    public Status status;
    @Enumerated(EnumType.STRING)
    public Level level = Level.FAIL;
    public String reason;
    public Instant openedAt;
    public Instant acknowledgedAt;
    public String acknowledgedBy;
    public String acknowledgedNote;
    public Instant resolvedAt;
    public String resolvedReason;
    /** Reminders sent while nobody acknowledged it, and when the last went out. */
    public int reminders;
    public Instant lastRemindedAt;
    /** When the provider's on-call address was told nobody had acknowledged it. */
    public Instant escalatedAt;
    /**
     * Opened while the practice's agent was silent: the rule cannot be judged, so nobody was told of it on its own (the
     * agent-heartbeat alert names it), and it is neither reminded of nor escalated. See {@link Alerting}.
     */
    public boolean silenced;
    /** When its contacts were first told of a once-silenced alert (the agent came back and it still fails); null otherwise. */
    public Instant toldAt;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }
}
