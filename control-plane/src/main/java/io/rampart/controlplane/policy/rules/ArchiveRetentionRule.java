package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * archive-retention: the restore points on the archive server (a backup folder or a restic/borg
 * repository, check "archive-retention") go back 3 years, or to onboarding when the practice is
 * younger, and are at least monthly: the newest at most 31 days old, and at least one per 31 days
 * spanned (counted, as the observation holds no list of restore points).
 */
public final class ArchiveRetentionRule extends AbstractRule {

    public static final String ID = "archive-retention";

    private final Thresholds.ArchiveRetention thresholds;
    private final List<String> checkIds;

    public ArchiveRetentionRule() {
        this(Thresholds.ArchiveRetention.DEFAULT);
    }

    public ArchiveRetentionRule(Thresholds.ArchiveRetention thresholds) {
        this(thresholds, List.of(ID));
    }

    public ArchiveRetentionRule(Thresholds.ArchiveRetention thresholds, List<String> checkIds) {
        super(ID);
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        Instant retentionStart = now.atZone(ZoneOffset.UTC).minus(thresholds.retention()).toInstant();
        Instant required = retentionStart.isAfter(evidence.onboardedAt()) ? retentionStart : evidence.onboardedAt();
        String requiredText = required.equals(retentionStart) ? thresholds.retention().getYears() + " years"
                : "to onboarding on " + Texts.date(evidence.onboardedAt());
        List<RuleVerdict> parts = new ArrayList<>();
        for (CheckEvidence check : evidence.checks(checkIds)) {
            if (check.failedToRun()) {
                parts.add(RuleVerdict.fail(ID, "the archive check could not run: " + check.result().getSummary()));
                continue;
            }
            Instant oldest;
            Instant newest;
            long count;
            if (check.result().hasRepository() && check.result().getRepository().hasOldestSnapshotAt()) {
                var repository = check.result().getRepository();
                oldest = Texts.instant(repository.getOldestSnapshotAt());
                newest = Texts.instant(repository.getLatestSnapshotAt());
                count = repository.getSnapshotCount();
                // an empty newest restore point is no restore point (an unmounted share backed up)
                RepositorySizeVerdict.judge(ID, check.result()).ifPresent(parts::add);
            } else if (check.result().hasBackupFolder() && check.result().getBackupFolder().hasOldestModifiedAt()) {
                var folder = check.result().getBackupFolder();
                oldest = Texts.instant(folder.getOldestModifiedAt());
                newest = Texts.instant(folder.getNewestModifiedAt());
                count = folder.getFileCount();
            } else {
                parts.add(RuleVerdict.fail(ID, "no restore points found on the archive"));
                continue;
            }
            Duration shortBy = Duration.between(required, oldest);
            PracticeStatus reach = shortBy.isNegative() || shortBy.isZero() ? PracticeStatus.PASS
                    : Verdicts.grade(shortBy, Duration.ZERO, thresholds.grace());
            parts.add(new RuleVerdict(ID, reach, "oldest restore point from " + Texts.date(oldest)
                    + (reach == PracticeStatus.PASS ? "" : ", " + Texts.span(shortBy) + " short") + " (must go back " + requiredText + ")"));
            Duration newestAge = Duration.between(newest, now);
            parts.add(new RuleVerdict(ID, Verdicts.grade(newestAge, thresholds.maxInterval(), thresholds.grace()),
                    "newest restore point " + Texts.span(newestAge) + " old (at least monthly)"));
            // PolicyReader keeps maxInterval at 1 min or more; the floor keeps a Thresholds made in code from dividing by zero
            long expected = Duration.between(oldest, newest).toSeconds() / Math.max(1, thresholds.maxInterval().toSeconds());
            if (count < expected) {
                parts.add(RuleVerdict.fail(ID, "only " + count + " restore points over " + Texts.span(Duration.between(oldest, newest))
                        + " (at least " + expected + " needed for monthly)"));
            }
        }
        return Verdicts.combine(ID, parts);
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
