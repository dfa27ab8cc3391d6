package io.rampart.controlplane.policy.rules;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * How one rule stands for one practice, and the one sentence a group manager reads about it.
 *
 * @param configurationGap true when no check configured for the practice can ever give evidence for the rule: a
 *                         person must add one (see {@link CheckCoverage}); false for every other verdict
 */
public record RuleVerdict(String ruleId, PracticeStatus status, String reason, boolean configurationGap) {

    public RuleVerdict(String ruleId, PracticeStatus status, String reason) {
        this(ruleId, status, reason, false);
    }

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

    /**
     * No configured check serves the rule: UNKNOWN like a rule without data (so it fails after the rule's no-data
     * grace, as silence does), but marked and worded as what it is, e.g. "configuration gap: no check provides
     * evidence for restore-test".
     */
    public static RuleVerdict configurationGap(String ruleId) {
        return new RuleVerdict(ruleId, PracticeStatus.UNKNOWN, CheckCoverage.gapReason(ruleId), true);
    }
}
