package io.rampart.controlplane.policy.document;

import java.util.List;
import java.util.Optional;

import io.rampart.controlplane.policy.document.RuleKind.Guard;
import io.rampart.controlplane.policy.rules.AgentHeartbeatRule;
import io.rampart.controlplane.policy.rules.ArchiveRetentionRule;
import io.rampart.controlplane.policy.rules.CloudCopyRule;
import io.rampart.controlplane.policy.rules.ContactsRule;
import io.rampart.controlplane.policy.rules.DbSyncRule;
import io.rampart.controlplane.policy.rules.NasCopyRule;
import io.rampart.controlplane.policy.rules.PlanReviewRule;
import io.rampart.controlplane.policy.rules.RestoreTestRule;
import io.rampart.controlplane.policy.rules.SystemImageRule;
import io.rampart.controlplane.policy.rules.Thresholds;
import io.rampart.controlplane.policy.rules.UpsRule;
import io.rampart.controlplane.policy.rules.UsbRotationRule;

/** The eleven rules of the reference policy (DESIGN.md), in the table's order. */
public final class RuleKinds {

    public static final List<RuleKind<?>> ALL = List.of(
            new RuleKind<>(DbSyncRule.ID, Thresholds.DbSync.class, Thresholds.DbSync.DEFAULT, DbSyncRule::new,
                    List.of(new Guard("lagGrace", "maxLag"), new Guard("verifyGrace", "verifyEvery"))),
            new RuleKind<>(CloudCopyRule.ID, Thresholds.Freshness.class, Thresholds.Freshness.DEFAULT, CloudCopyRule::new,
                    List.of(new Guard("grace", "maxAge"))),
            new RuleKind<>(NasCopyRule.ID, Thresholds.Freshness.class, Thresholds.Freshness.DEFAULT, NasCopyRule::new,
                    List.of(new Guard("grace", "maxAge"))),
            new RuleKind<>(UsbRotationRule.ID, Thresholds.UsbRotation.class, Thresholds.UsbRotation.DEFAULT, UsbRotationRule::new,
                    List.of(new Guard("copyGrace", "maxCopyAge"), new Guard("rotateGrace", "rotateEvery"))),
            new RuleKind<>(SystemImageRule.ID, Thresholds.Freshness.class, Thresholds.Freshness.DEFAULT, SystemImageRule::new,
                    List.of(new Guard("grace", "maxAge"))),
            new RuleKind<>(ArchiveRetentionRule.ID, Thresholds.ArchiveRetention.class, Thresholds.ArchiveRetention.DEFAULT,
                    ArchiveRetentionRule::new, List.of(new Guard("grace", "maxInterval"))),
            new RuleKind<>(RestoreTestRule.ID, Thresholds.RestoreTest.class, Thresholds.RestoreTest.DEFAULT, RestoreTestRule::new,
                    List.of(new Guard("grace", "maxAge"))),
            new RuleKind<>(UpsRule.ID, Thresholds.Ups.class, Thresholds.Ups.DEFAULT, UpsRule::new,
                    List.of(new Guard("selfTestGrace", "selfTestEvery"))),
            new RuleKind<>(PlanReviewRule.ID, Thresholds.PlanReviewEvery.class, Thresholds.PlanReviewEvery.DEFAULT, PlanReviewRule::new,
                    List.of(new Guard("grace", "reviewEvery"))),
            // the contacts grace is counted from onboarding, not from an interval: nothing to guard
            new RuleKind<>(ContactsRule.ID, Thresholds.ContactsRequired.class, Thresholds.ContactsRequired.DEFAULT, ContactsRule::new,
                    List.of()),
            new RuleKind<>(AgentHeartbeatRule.ID, Thresholds.Heartbeat.class, Thresholds.Heartbeat.DEFAULT, AgentHeartbeatRule::new,
                    List.of(new Guard("grace", "maxSilence"))));

    private RuleKinds() {
    }

    public static Optional<RuleKind<?>> byId(String id) {
        return ALL.stream().filter(kind -> kind.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return ALL.stream().map(RuleKind::id).toList();
    }
}
