package io.rampart.controlplane.policy;

import java.time.Period;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Duration;

import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.RuleSetting;
import io.rampart.controlplane.policy.rules.CheckCoverage;
import io.rampart.controlplane.policy.rules.Thresholds;
import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * The group's policy decides what its agents check: each check that gives evidence for a rule
 * (its id is the rule's, or starts with it, as "db-sync-clinical" for "db-sync"; "usb-copy" for
 * usb-rotation) gets the rule's thresholds, and a check whose rule is switched off is not run.
 */
final class PolicyCheckSettings {

    private PolicyCheckSettings() {
    }

    /** The check as the policy wants it, or empty when the policy switched its rule off. */
    static Optional<CheckDefinition> apply(CheckDefinition check, PolicyDocument policy) {
        Optional<Map.Entry<String, RuleSetting>> rule = policy.rules().entrySet().stream()
                .filter(entry -> servesRule(check.getCheckId(), entry.getKey())).findFirst();
        if (rule.isEmpty()) {
            return Optional.of(check);
        }
        if (!rule.get().getValue().enabled()) {
            return Optional.empty();
        }
        CheckDefinition.Builder builder = check.toBuilder();
        Record thresholds = rule.get().getValue().thresholds();
        if (thresholds instanceof Thresholds.Freshness t) {
            maxAge(builder, t.maxAge());
        } else if (thresholds instanceof Thresholds.UsbRotation t) {
            if (check.hasUsbRotation()) {
                builder.getUsbRotationBuilder().setMaxAttached(proto(t.rotateEvery())).setMinDrives(t.minDrives());
            } else {
                maxAge(builder, t.maxCopyAge());
            }
        } else if (thresholds instanceof Thresholds.DbSync t && check.hasDatabaseSync()) {
            builder.getDatabaseSyncBuilder().setMaxLag(proto(t.maxLag())).setVerifyEvery(proto(t.verifyEvery()));
        } else if (thresholds instanceof Thresholds.RestoreTest t && check.hasRestoreTest()) {
            builder.getRestoreTestBuilder().setMaxRestoreDuration(proto(t.maxRestoreTime()));
        } else if (thresholds instanceof Thresholds.Ups t && check.hasUps()) {
            builder.getUpsBuilder().setMinRuntime(proto(t.shutdownTime())).setMaxSelfTestAge(proto(t.selfTestEvery()))
                    .setSelfTestGrace(proto(t.selfTestGrace()));
        } else if (thresholds instanceof Thresholds.ArchiveRetention t) {
            maxAge(builder, t.maxInterval());
            if (check.hasBackupFolder()) {
                builder.getBackupFolderBuilder().setMinHistory(proto(approximately(t.retention())));
            }
        }
        repositorySize(builder);
        // plan review, contacts and the heartbeat are not checked by the agent's collectors
        return Optional.of(builder.build());
    }

    /**
     * A restic or borg snapshot under this share of the previous one's bytes or files fails (an unmounted share,
     * half the files gone), unless the check set sets its own share (below 0: no comparison).
     */
    static final double REPOSITORY_MIN_SIZE_RATIO = 0.5;

    private static void repositorySize(CheckDefinition.Builder builder) {
        if (builder.hasRepository() && builder.getRepository().getMinSizeRatio() == 0) {
            builder.getRepositoryBuilder().setMinSizeRatio(REPOSITORY_MIN_SIZE_RATIO);
        }
    }

    static boolean servesRule(String checkId, String ruleId) {
        return CheckCoverage.serves(checkId, ruleId);
    }

    private static void maxAge(CheckDefinition.Builder builder, java.time.Duration maxAge) {
        switch (builder.getSettingsCase()) {
            case BACKUP_FOLDER -> builder.getBackupFolderBuilder().setMaxAge(proto(maxAge));
            case REPOSITORY -> builder.getRepositoryBuilder().setMaxAge(proto(maxAge));
            case REPORTED_JOB -> builder.getReportedJobBuilder().setMaxAge(proto(maxAge));
            default -> {
                // a kind without an age limit
            }
        }
    }

    /** A retention in years and months as days (a year as 365 days): how far back restore points must reach. */
    private static java.time.Duration approximately(Period period) {
        return java.time.Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
    }

    private static Duration proto(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
