package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static io.rampart.controlplane.policy.rules.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/** archive-retention: back 3 years (or to onboarding), at least monthly. */
class ArchiveRetentionRuleTest {

    private static final Instant THREE_YEARS_AGO = Instant.parse("2023-11-26T12:00:00Z");

    private static PracticeEvidence practice() {
        return onboarded(Instant.parse("2019-01-01T00:00:00Z"));
    }

    private final ArchiveRetentionRule rule = new ArchiveRetentionRule();

    private static CheckEvidence archive(Instant oldest, Instant newest, long count) {
        return evidence(result("archive-retention", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_PASS)
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/archive").setFileCount(count).setNewestFile("n")
                        .setNewestModifiedAt(ts(newest)).setOldestFile("o").setOldestModifiedAt(ts(oldest))));
    }

    @Test
    void restorePointsGoingBackExactly3YearsPass() {
        RuleVerdict verdict = rule.evaluate(practice().withCheck(archive(THREE_YEARS_AGO, daysAgo(3), 40)), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("archive-retention", PracticeStatus.PASS,
                "oldest restore point from 26 Nov 2023 (must go back 3 years); newest restore point 3 days old (at least monthly)"));
    }

    @Test
    void restorePointsOlderThan3YearsPass() {
        assertThat(rule.evaluate(practice().withCheck(archive(THREE_YEARS_AGO.minus(Duration.ofDays(200)), daysAgo(3), 60)), NOW).status())
                .isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void restorePointsAnHourShortOf3YearsAreAtRisk() {
        assertThat(rule.evaluate(practice().withCheck(archive(THREE_YEARS_AGO.plus(Duration.ofHours(1)), daysAgo(3), 40)), NOW).status())
                .isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void restorePointsGoingBackOnly2YearsFailForAPracticeOnboardedLongBefore() {
        PracticeEvidence evidence = onboarded(Instant.parse("2020-01-01T00:00:00Z")).withCheck(archive(daysAgo(730), daysAgo(3), 30));

        RuleVerdict verdict = rule.evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("oldest restore point from 26 Nov 2024, 366 days short (must go back 3 years)");
    }

    @Test
    void aPracticeYoungerThan3YearsNeedsRestorePointsOnlyBackToOnboarding() {
        PracticeEvidence evidence = onboarded(daysAgo(100)).withCheck(archive(daysAgo(100), daysAgo(3), 4));

        assertThat(rule.evaluate(evidence, NOW).status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void aYoungPracticeWhoseRestorePointsStartAfterOnboardingFails() {
        PracticeEvidence evidence = onboarded(daysAgo(100)).withCheck(archive(daysAgo(60), daysAgo(3), 3));

        RuleVerdict verdict = rule.evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).contains("must go back to onboarding on 18 Aug 2026");
    }

    @Test
    void aNewestRestorePointOlderThanAMonthFails() {
        assertThat(rule.evaluate(practice().withCheck(archive(THREE_YEARS_AGO, daysAgo(45), 40)), NOW).reason())
                .isEqualTo("newest restore point 45 days old (at least monthly)");
    }

    @Test
    void tooFewRestorePointsForMonthlyFail() {
        RuleVerdict verdict = rule.evaluate(practice().withCheck(archive(THREE_YEARS_AGO, daysAgo(3), 12)), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("only 12 restore points over");
    }

    @Test
    void aBorgRepositoryCountsByItsSnapshots() {
        CheckEvidence borg = evidence(result("archive-retention", CheckKind.CHECK_KIND_BORG_REPOSITORY, CheckStatus.CHECK_STATUS_PASS)
                .setRepository(RepositoryObservation.newBuilder().setSnapshotCount(40).setCheckPassed(true)
                        .setOldestSnapshotAt(ts(THREE_YEARS_AGO)).setLatestSnapshotAt(ts(daysAgo(1)))));

        assertThat(rule.evaluate(practice().withCheck(borg), NOW).status()).isEqualTo(PracticeStatus.PASS);
    }
}
