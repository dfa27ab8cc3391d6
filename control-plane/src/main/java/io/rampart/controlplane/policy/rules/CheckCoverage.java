package io.rampart.controlplane.policy.rules;

import java.util.Collection;
import java.util.Set;

/**
 * Which checks give evidence for which rule, in one place for the agent's configuration (the policy's thresholds
 * go to the checks that serve a rule) and for evaluation (a rule no configured check serves is a configuration gap).
 * A check serves a rule when its id is the rule's id or starts with it and '-' ("db-sync-clinical" for db-sync); the
 * USB copies ("usb-copy", "usb-copy-...") serve usb-rotation too. Plan review, contacts and the agent's heartbeat are
 * not served by checks: people and the agent's calls give their evidence, so they are never a gap.
 */
public final class CheckCoverage {

    /** The rules of the reference policy whose evidence comes from the agent's checks. */
    public static final Set<String> RULES_SERVED_BY_CHECKS = Set.of(DbSyncRule.ID, CloudCopyRule.ID, NasCopyRule.ID,
            UsbRotationRule.ID, SystemImageRule.ID, ArchiveRetentionRule.ID, RestoreTestRule.ID, UpsRule.ID);

    private CheckCoverage() {
    }

    public static boolean servedByChecks(String ruleId) {
        return RULES_SERVED_BY_CHECKS.contains(ruleId);
    }

    /** Whether a check with this id gives evidence for the rule. */
    public static boolean serves(String checkId, String ruleId) {
        if (ruleId.equals(UsbRotationRule.ID) && (checkId.equals("usb-copy") || checkId.startsWith("usb-copy-"))) {
            return true;
        }
        return checkId.equals(ruleId) || checkId.startsWith(ruleId + "-");
    }

    /** Whether the rule needs checks and none of these check ids serves it. */
    public static boolean isGap(String ruleId, Collection<String> configuredCheckIds) {
        return servedByChecks(ruleId) && configuredCheckIds.stream().noneMatch(checkId -> serves(checkId, ruleId));
    }

    /** What a person reads for a gap. */
    public static String gapReason(String ruleId) {
        return "configuration gap: no check provides evidence for " + ruleId;
    }
}
