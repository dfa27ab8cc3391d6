package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
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
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/** Clocks lie: a backup dated in the future never counts as fresh, and an agent's wrong clock is shown. */
class ClockProblemRulesTest {

    private final NasCopyRule nas = new NasCopyRule();
    private final CloudCopyRule cloud = new CloudCopyRule();
    private final AgentHeartbeatRule heartbeat = new AgentHeartbeatRule();

    private static FutureDatedItem futureDated(String name, Instant datedAt) {
        return FutureDatedItem.newBuilder().setName(name).setDatedAt(ts(datedAt)).setSeenAt(ts(NOW.minus(Duration.ofMinutes(5)))).build();
    }

    private static CheckEvidence folderWithFutureFile(Instant realNewest, Instant futureDated) {
        return evidence(result("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER, CheckStatus.CHECK_STATUS_WARN)
                .addFutureDated(futureDated("touched.bak", futureDated))
                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/mnt/nas").setFileCount(3)
                        .setNewestFile("2026-11-23.bak").setNewestModifiedAt(ts(realNewest))));
    }

    @Test
    void aFileDatedNextYearIsAClockProblemAndTheRealNewestCopyDecides() {
        RuleVerdict verdict = nas.evaluate(practice().withCheck(folderWithFutureFile(daysAgo(3), NOW.plus(Duration.ofDays(365)))), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("last NAS copy 3 days ago (limit 26 h); clock problem on the backup host: touched.bak is dated "
                + "26 Nov 2027, 365 days ahead; not counted as fresh");
    }

    @Test
    void aFreshCopyBesideAFutureDatedOneIsAtRiskUntilTheClockIsPutRight() {
        RuleVerdict verdict = nas.evaluate(practice().withCheck(folderWithFutureFile(hoursAgo(3), NOW.plus(Duration.ofDays(2)))), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(verdict.reason()).isEqualTo("last NAS copy 3 h ago (limit 26 h); clock problem on the backup host: touched.bak is dated "
                + "28 Nov 2026, 48 h 5 min ahead; not counted as fresh");
    }

    @Test
    void aNewestSnapshotDatedInTheFutureByAnOlderAgentIsNeverFresh() {
        CheckEvidence repository = evidence(result("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY, CheckStatus.CHECK_STATUS_PASS)
                .setRepository(RepositoryObservation.newBuilder().setSnapshotCount(4).setCheckPassed(true)
                        .setLatestSnapshotAt(ts(NOW.plus(Duration.ofDays(365))))));

        RuleVerdict verdict = cloud.evaluate(practice().withCheck(repository), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("the newest cloud copy is dated 26 Nov 2027, 365 days in the future: a clock problem on the "
                + "backup host, so how old the backups really are is unknown");
    }

    @Test
    void aBackupDatedAFewMinutesAheadIsAnHonestClockDifference() {
        RuleVerdict verdict = nas.evaluate(practice().withCheck(Fixtures.folder("nas-copy", NOW.plus(Duration.ofMinutes(4)))), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void anAgentWhoseClockRunsAnHourAheadPutsTheHeartbeatAtRisk() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofMinutes(1))).withAgentClockOffset(Duration.ofHours(1));

        RuleVerdict verdict = heartbeat.evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(verdict.reason()).isEqualTo("the agent's computer's clock is 1 h ahead of the control plane's: the ages of its "
                + "backups are measured wrong; set its time from NTP");
    }

    @Test
    void anAgentWhoseClockIsBehindIsShownBehind() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofMinutes(1))).withAgentClockOffset(Duration.ofDays(-400));

        assertThat(heartbeat.evaluate(evidence, NOW).reason()).startsWith("the agent's computer's clock is 400 days behind the control plane's");
    }

    @Test
    void aFewSecondsOfClockDifferenceIsNothing() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofMinutes(1))).withAgentClockOffset(Duration.ofSeconds(-40));

        assertThat(heartbeat.evaluate(evidence, NOW).status()).isEqualTo(PracticeStatus.PASS);
    }
}
