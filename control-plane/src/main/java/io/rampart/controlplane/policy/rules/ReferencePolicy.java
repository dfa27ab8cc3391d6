package io.rampart.controlplane.policy.rules;

import java.util.List;

/** The reference ("defence in depth") policy of DESIGN.md with its default thresholds, in the table's order. */
public final class ReferencePolicy {

    private ReferencePolicy() {
    }

    public static List<Rule> rules() {
        return List.of(new DbSyncRule(), new CloudCopyRule(), new NasCopyRule(), new UsbRotationRule(), new SystemImageRule(),
                new ArchiveRetentionRule(), new RestoreTestRule(), new UpsRule(), new PlanReviewRule(), new ContactsRule(),
                new AgentHeartbeatRule());
    }
}
