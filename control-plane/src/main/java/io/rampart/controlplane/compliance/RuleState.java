package io.rampart.controlplane.compliance;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.PracticeStatus;

/** Where one practice stands on one rule of its group's policy, since when, and why. */
@Entity
@Table(name = "rule_state")
@IdClass(RuleState.Key.class)
public class RuleState extends PanacheEntityBase {

    @Id
    public UUID practiceId;
    @Id
    public String ruleId;
    public UUID providerId;
    public UUID groupId;
    /** Stored as the enum's name (text). */
    @Enumerated(EnumType.STRING)
    public PracticeStatus status;
    public String reason;
    public Instant since;
    public int policyVersion;
    /** No configured check of the practice can give evidence for the rule (RuleVerdict.configurationGap). */
    public boolean configurationGap;

    public record Key(UUID practiceId, String ruleId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
