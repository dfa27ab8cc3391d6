package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.folder;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static io.rampart.controlplane.policy.rules.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.JobReport;
import io.rampart.protocol.agent.v1.ReadBack;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.UnreadableFile;

/** cloud-copy, nas-copy and system-image: the newest copy at most 26 h old, 2 h grace. */
class FreshCopyRulesTest {

    private final CloudCopyRule cloud = new CloudCopyRule();

    @Test
    void aCloudCopyExactly26HoursOldPasses() {
        RuleVerdict verdict = cloud.evaluate(practice().withCheck(folder("cloud-copy", hoursAgo(26))), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.PASS, "last cloud copy 26 h ago (limit 26 h)"));
    }

    @Test
    void aCloudCopy27HoursOldIsAtRiskInsideTheGrace() {
        RuleVerdict verdict = cloud.evaluate(practice().withCheck(folder("cloud-copy", hoursAgo(27))), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(verdict.reason()).isEqualTo("last cloud copy 27 h ago (limit 26 h)");
    }

    @Test
    void aCloudCopy31HoursOldFailsAfterTheGrace() {
        RuleVerdict verdict = cloud.evaluate(practice().withCheck(folder("cloud-copy", hoursAgo(31))), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.FAIL, "last cloud copy 31 h ago (limit 26 h)"));
    }

    @Test
    void theGraceEndsExactly2HoursAfterTheLimit() {
        assertThat(cloud.evaluate(practice().withCheck(folder("cloud-copy", hoursAgo(28))), NOW).status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(cloud.evaluate(practice().withCheck(folder("cloud-copy", ago(Duration.ofHours(28).plusSeconds(1)))), NOW).status())
                .isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void aResticRepositoryCountsByItsLatestSnapshot() {
        CheckEvidence restic = evidence(result("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY, CheckStatus.CHECK_STATUS_PASS)
                .setRepository(RepositoryObservation.newBuilder().setSnapshotCount(30).setCheckPassed(true).setLatestSnapshotAt(ts(hoursAgo(3)))));

        assertThat(cloud.evaluate(practice().withCheck(restic), NOW).status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void aFailedRepositoryCheckFailsEvenWhenTheSnapshotIsFresh() {
        CheckEvidence restic = evidence(result("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY, CheckStatus.CHECK_STATUS_FAIL)
                .setRepository(RepositoryObservation.newBuilder().setSnapshotCount(30).setCheckPassed(false).setLatestSnapshotAt(ts(hoursAgo(3)))));

        RuleVerdict verdict = cloud.evaluate(practice().withCheck(restic), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.FAIL, "the cloud copy repository check failed"));
    }

    @Test
    void unreadableFilesOnTheNasFail() {
        CheckEvidence nas = evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_FAIL)
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/nas").setNewestFile("a.bak").setNewestModifiedAt(ts(hoursAgo(2)))
                        .setReadBack(ReadBack.newBuilder().addUnreadableFiles("a.bak"))));

        RuleVerdict verdict = new NasCopyRule().evaluate(practice().withCheck(nas), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("1 NAS copy file unreadable or not matching their checksum (e.g. a.bak)");
    }

    @Test
    void unreadableFilesOnTheNasFailInTheAgentsWordsForTheFirst() {
        CheckEvidence nas = evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_FAIL)
                .setBackupFolder(BackupFolderObservation.newBuilder().setNewestFile("b.zip").setNewestModifiedAt(ts(hoursAgo(2)))
                        .setReadBack(ReadBack.newBuilder().addUnreadableFiles("a.zip").addUnreadableFiles("b.bak")
                                .addUnreadable(UnreadableFile.newBuilder().setFile("a.zip")
                                        .setReason("damaged zip archive: entry 'scans/0042.pdf' fails its CRC-32"))
                                .addUnreadable(UnreadableFile.newBuilder().setFile("b.bak").setReason("checksum mismatch")))));

        RuleVerdict verdict = new NasCopyRule().evaluate(practice().withCheck(nas), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.FAIL,
                "NAS copy unreadable: a.zip (damaged zip archive: entry 'scans/0042.pdf' fails its CRC-32) and 1 more"));
    }

    @Test
    void anEmptyNasFolderFails() {
        CheckEvidence nas = evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_FAIL)
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/nas")));

        assertThat(new NasCopyRule().evaluate(practice().withCheck(nas), NOW))
                .isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.FAIL, "no NAS copy found in /mnt/nas"));
    }

    @Test
    void aNasCheckThatCouldNotRunFails() {
        CheckEvidence nas = evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_ERROR)
                .setSummary("folder /mnt/nas missing"));

        assertThat(new NasCopyRule().evaluate(practice().withCheck(nas), NOW).reason())
                .isEqualTo("the NAS copy check could not run: folder /mnt/nas missing");
    }

    @Test
    void aSystemImageReportedByImagingSoftwareCountsByWhenTheJobFinished() {
        CheckEvidence image = evidence(result("system-image", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_PASS)
                .setJobReport(JobReport.newBuilder().setSoftware("Veeam Agent").setFinishedAt(ts(hoursAgo(26)))));

        assertThat(new SystemImageRule().evaluate(practice().withCheck(image), NOW))
                .isEqualTo(new RuleVerdict("system-image", PracticeStatus.PASS, "last system image 26 h ago (limit 26 h)"));
    }

    @Test
    void aFailedImagingJobFails() {
        CheckEvidence image = evidence(result("system-image", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_FAIL)
                .setJobReport(JobReport.newBuilder().setSoftware("Veeam Agent").setFinishedAt(ts(hoursAgo(1))).setMessage("disk full")));

        assertThat(new SystemImageRule().evaluate(practice().withCheck(image), NOW).reason())
                .isEqualTo("the last system image job (Veeam Agent) failed: disk full");
    }

    @Test
    void anImagingJobThatNeverReportedSaysWhatToAddNotThatAJobFailed() {
        // as ReportedJobCollector reports a job nothing has reported yet: no finish time, its summary says what to add
        CheckEvidence image = evidence(result("system-image", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_FAIL)
                .setSummary("never reported: add `rampart-agent report --check system-image --status ok|warn|failed` to the post-job script")
                .setJobReport(JobReport.newBuilder()));

        assertThat(new SystemImageRule().evaluate(practice().withCheck(image), NOW)).isEqualTo(new RuleVerdict("system-image", PracticeStatus.FAIL,
                "no system image job has reported yet: add `rampart-agent report --check system-image --status ok|warn|failed` to the post-job script"));
    }

    @Test
    void aPingedJobStartedLongerAgoThanItsExpectedRunTimeWithNoFinishIsHung() {
        // borgmatic killed after its start ping: the start is all there is (PingRuns.result)
        CheckEvidence job = evidence(result("cloud-copy", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_PASS)
                .setJobReport(JobReport.newBuilder().setFinishedAt(ts(hoursAgo(25))).setStartedAt(ts(hoursAgo(4)))
                        .setMaxRunTime(com.google.protobuf.Duration.newBuilder().setSeconds(3 * 3600))));

        RuleVerdict verdict = new CloudCopyRule().evaluate(practice().withCheck(job), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("the cloud copy job started at ").endsWith(" UTC and did not finish within 3 h (its "
                + "expected run time): it hung, was killed or its computer went down; the run before it succeeded at "
                + Texts.dayAndTime(hoursAgo(25)) + " UTC");
    }

    @Test
    void aPingedJobStillWithinItsExpectedRunTimeIsJudgedByItsLastFinishAndAFirstRunIsStillRunningNeverPass() {
        JobReport.Builder running = JobReport.newBuilder().setStartedAt(ts(hoursAgo(1)))
                .setMaxRunTime(com.google.protobuf.Duration.newBuilder().setSeconds(3 * 3600));
        CheckEvidence again = evidence(result("cloud-copy", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_PASS)
                .setJobReport(running.clone().setFinishedAt(ts(hoursAgo(25)))));
        CheckEvidence first = evidence(result("cloud-copy", CheckKind.CHECK_KIND_REPORTED_JOB, CheckStatus.CHECK_STATUS_WARN)
                .setJobReport(running));
        CheckEvidence firstFromAnOlderControlPlane = evidence(result("cloud-copy", CheckKind.CHECK_KIND_REPORTED_JOB,
                CheckStatus.CHECK_STATUS_PASS).setJobReport(running));

        assertThat(new CloudCopyRule().evaluate(practice().withCheck(again), NOW).reason()).isEqualTo("last cloud copy 25 h ago (limit 26 h)");
        RuleVerdict stillRunning = new RuleVerdict("cloud-copy", PracticeStatus.UNKNOWN, "the first cloud copy job started at "
                + Texts.dayAndTime(hoursAgo(1)) + " UTC, still running (expected to finish within 3 h); no run of it has finished yet,"
                + " so no copy is known");
        PracticeEvidence newPractice = onboarded(hoursAgo(2));
        assertThat(new CloudCopyRule().evaluate(newPractice.withCheck(first), NOW)).isEqualTo(stillRunning);
        assertThat(new CloudCopyRule().evaluate(onboarded(hoursAgo(2)).withCheck(firstFromAnOlderControlPlane), NOW)).isEqualTo(stillRunning);
        // long after onboarding no copy known is a failure, as no data is
        assertThat(new CloudCopyRule().evaluate(practice().withCheck(first), NOW)).isEqualTo(new RuleVerdict("cloud-copy",
                PracticeStatus.FAIL, stillRunning.reason() + " (400 days since onboarding)"));
    }

    @Test
    void withSeveralChecksTheWorstCounts() {
        PracticeEvidence evidence = practice().withCheck(folder("nas-copy-clinical", hoursAgo(2))).withCheck(folder("nas-copy-financial", hoursAgo(40)));

        RuleVerdict verdict = new NasCopyRule().evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("last NAS copy 40 h ago (limit 26 h)");
    }

    @Test
    void aCheckOfAnotherRuleIsNoEvidence() {
        assertThat(new NasCopyRule().evaluate(practice().withCheck(folder("nas-copyx", hoursAgo(1))), NOW).status())
                .isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void aMissingCopyInAFolderTheAgentDidNotNameSaysSoWithoutADanglingIn() {
        CheckEvidence nas = evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_FAIL)
                .setBackupFolder(BackupFolderObservation.getDefaultInstance()));

        assertThat(new NasCopyRule().evaluate(practice().withCheck(nas), NOW))
                .isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.FAIL, "no NAS copy found"));
    }
}
