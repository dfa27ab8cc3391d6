package io.rampart.controlplane.policy.rules;

import io.rampart.controlplane.fleet.PracticeStatus;

/** How one rule stands for one practice, and the one sentence a group manager reads about it. */
public record RuleVerdict(String ruleId, PracticeStatus status, String reason) {

    public static RuleVerdict pass(String ruleId, String reason) {
        return new RuleVerdict(ruleId, PracticeStatus.PASS, reason);
    }

    public static RuleVerdict fail(String ruleId, String reason) {
        return new RuleVerdict(ruleId, PracticeStatus.FAIL, reason);
    }

    public static RuleVerdict unknown(String ruleId, String reason) {
        return new RuleVerdict(ruleId, PracticeStatus.UNKNOWN, reason);
    }

    public static RuleVerdict noData(String ruleId) {
        return unknown(ruleId, "no data yet");
    }
}
