package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.pd;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static io.rampart.controlplane.policy.rules.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.ReplicationMode;
import io.rampart.protocol.agent.v1.ReplicationSlotState;
import io.rampart.protocol.agent.v1.SecondaryRole;
import io.rampart.protocol.agent.v1.WalReceiverState;

/**
 * db-sync: lag <= 15 min (grace 1 min 30 s), secondary verified within 24 h (grace 2 h); events of agents that measure
 * against the primary are judged by their classification (role, receiver, mode, pause), older events by their lag.
 */
class DbSyncRuleTest {

    private final DbSyncRule rule = new DbSyncRule();

    private static CheckEvidence sync(String checkId, Duration lag, Instant verifiedAt) {
        return evidence(result(checkId, CheckKind.CHECK_KIND_DATABASE_SYNC, CheckStatus.CHECK_STATUS_PASS)
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setEngine("postgresql").setLag(pd(lag))
                        .setVerifiedAt(ts(verifiedAt)).setSecondaryReachable(true)));
    }

    private RuleVerdict evaluate(CheckEvidence... checks) {
        PracticeEvidence evidence = practice();
        for (CheckEvidence check : checks) {
            evidence = evidence.withCheck(check);
        }
        return rule.evaluate(evidence, NOW);
    }

    @Test
    void lagOfExactly15MinutesPasses() {
        assertThat(evaluate(sync("db-sync", Duration.ofMinutes(15), hoursAgo(3))))
                .isEqualTo(new RuleVerdict("db-sync", PracticeStatus.PASS,
                        "database lag 15 min (limit 15 min); secondary database last verified 3 h ago (limit 24 h)"));
    }

    @Test
    void lagOf16MinutesIsAtRiskInsideTheGrace() {
        RuleVerdict verdict = evaluate(sync("db-sync", Duration.ofMinutes(16), hoursAgo(3)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.AT_RISK, "database lag 16 min (limit 15 min)"));
    }

    @Test
    void lagOf17MinutesFails() {
        assertThat(evaluate(sync("db-sync", Duration.ofMinutes(17), hoursAgo(3))).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void verificationExactly24HoursOldPasses() {
        assertThat(evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(24))).status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void verification25HoursOldIsAtRisk() {
        RuleVerdict verdict = evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(25)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.AT_RISK, "secondary database last verified 25 h ago (limit 24 h)"));
    }

    @Test
    void verification27HoursOldFails() {
        assertThat(evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(27))).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void anUnreachableSecondaryFails() {
        CheckEvidence check = evidence(result("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC, CheckStatus.CHECK_STATUS_FAIL)
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setSecondaryReachable(false)));

        assertThat(evaluate(check)).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "the secondary database server is unreachable"));
    }

    @Test
    void clinicalAndFinancialDatabasesAreBothEvidenceAndTheWorstCounts() {
        RuleVerdict verdict = evaluate(sync("db-sync-clinical", Duration.ofMinutes(1), hoursAgo(2)),
                sync("db-sync-financial", Duration.ofMinutes(30), hoursAgo(2)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "database financial lag 30 min (limit 15 min)"));
    }

    private static DatabaseSyncObservation.Builder standby(Duration lag, long bytes) {
        return DatabaseSyncObservation.newBuilder().setEngine("postgresql").setSecondaryReachable(true)
                .setPrimaryServer("db1:5432").setSecondaryServer("db2:5432").setSecondaryRole(SecondaryRole.SECONDARY_ROLE_STANDBY)
                .setLagAgainstPrimary(true).setLag(pd(lag)).setBytesBehind(bytes).setPrimaryLsn("0/3016E68").setReplayLsn("0/3000EA8")
                .setReplicationMode(ReplicationMode.REPLICATION_MODE_STREAMING).setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_STREAMING)
                .setWalReceiverStatus("streaming").setLastMessageAge(pd(Duration.ofSeconds(2))).setSender("db1:5432")
                .setVerifiedAt(ts(hoursAgo(3)));
    }

    private static CheckEvidence observed(CheckStatus status, DatabaseSyncObservation.Builder sync) {
        return evidence(result("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC, status).setDatabaseSync(sync));
    }

    @Test
    void aStreamingStandbyThatHasCaughtUpPassesInTheAgentsWords() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_PASS, standby(Duration.ZERO, 0)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.PASS, "secondary db2:5432 is 0 s and 0 bytes of WAL behind"
                + " the primary db1:5432 (data-loss objective 15 min); secondary database last verified 3 h ago (limit 24 h)"));
    }

    @Test
    void aWalReceiverThatIsNotRunningFailsWithTheBytesAndTimeBehindWhateverTheLag() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ofSeconds(40), 92_160)
                .setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING).clearWalReceiverStatus().clearLastMessageAge().clearSender()));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 40 s and 90.0 KB of WAL behind"
                + " the primary db1:5432 (data-loss objective 15 min); its WAL receiver is not running (check primary_conninfo on the"
                + " secondary, the network to the primary, the replication slot and pg_hba.conf on the primary)"));
    }

    @Test
    void aWalReceiverThatIsWaitingOrSilentFails() {
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0)
                .setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_NOT_STREAMING).setWalReceiverStatus("waiting"))).reason())
                .contains("; its WAL receiver is waiting, not streaming (check primary_conninfo");
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0)
                .setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_SILENT).setLastMessageAge(pd(Duration.ofMinutes(4))))).reason())
                .contains("; its WAL receiver has heard nothing from db1:5432 for 4 min (check primary_conninfo");
    }

    @Test
    void aLogShippingStandbyOnAQuietPrimaryPassesWithoutAReceiver() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_PASS, standby(Duration.ZERO, 0)
                .setReplicationMode(ReplicationMode.REPLICATION_MODE_LOG_SHIPPING).setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING)
                .clearWalReceiverStatus().clearLastMessageAge().clearSender().setArchiveTimeout(pd(Duration.ZERO))));

        assertThat(verdict.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(verdict.reason()).startsWith("secondary db2:5432 is 0 s and 0 bytes of WAL behind the primary db1:5432"
                + " through log shipping (restore_command) (data-loss objective 15 min)");
    }

    @Test
    void aLogShippingStandbyBehindTheObjectiveFailsNamingTheArchiveTimeout() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ofMinutes(40), 3_000_000)
                .setReplicationMode(ReplicationMode.REPLICATION_MODE_LOG_SHIPPING).setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING)
                .setArchiveTimeout(pd(Duration.ofHours(1)))));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 40 min and 2.9 MB of WAL behind"
                + " the primary db1:5432 through log shipping (restore_command); the data-loss objective is 15 min;"
                + " the primary's archive_timeout is 1 h: set it below the data-loss objective"));
    }

    @Test
    void pausedReplayIsAtRiskWhileNothingIsLostAndFailsOnceBehindTheObjective() {
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_WARN, standby(Duration.ZERO, 0).setReplayPaused(true))))
                .isEqualTo(new RuleVerdict("db-sync", PracticeStatus.AT_RISK, "secondary db2:5432 is 0 s and 0 bytes of WAL behind the primary"
                        + " db1:5432 (data-loss objective 15 min); replay is paused on the secondary (resume it with select pg_wal_replay_resume())"));
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ofMinutes(20), 5000).setReplayPaused(true))).status())
                .isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void aStandbyThatCannotTellSinceWhenItIsBehindFails() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 4096).clearLag()));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 4.0 KB of WAL behind the primary"
                + " db1:5432 and cannot tell since when (it has replayed no transaction since it started)"));
    }

    @Test
    void aPromotedSecondaryFailsAsNoLongerACopy() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, DatabaseSyncObservation.newBuilder().setSecondaryReachable(true)
                .setPrimaryServer("db1:5432").setSecondaryServer("db2:5432").setSecondaryRole(SecondaryRole.SECONDARY_ROLE_NOT_IN_RECOVERY)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "the secondary db2:5432 is not in recovery, so it no longer"
                + " copies the primary db1:5432 (promoted, or the wrong server?); if both take writes, stop one and rebuild it as a standby"));
    }

    @Test
    void aSecondaryThatCannotBeMeasuredBecauseThePrimaryDoesNotAnswerFails() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_ERROR, DatabaseSyncObservation.newBuilder().setSecondaryReachable(true)
                .setPrimaryServer("db1:5432").setSecondaryServer("db2:5432").setPrimaryUnreachable(true)
                .setPrimaryError("cannot reach the primary db1:5432: Connection refused")));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL,
                "cannot judge the secondary db2:5432 against the primary: cannot reach the primary db1:5432: Connection refused"));
    }

    @Test
    void anOlderAgentsFailureWithoutALagFailsInItsOwnWords() {
        CheckEvidence check = evidence(result("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC, CheckStatus.CHECK_STATUS_FAIL)
                .setSummary("the secondary db2:5432 is not in recovery, so it is not a secondary of the primary db1:5432 (promoted, or the wrong server?)")
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setEngine("postgresql").setSecondaryReachable(true)));

        assertThat(evaluate(check)).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "the database sync check failed: the secondary"
                + " db2:5432 is not in recovery, so it is not a secondary of the primary db1:5432 (promoted, or the wrong server?)"));
    }

    @Test
    void aStandbyOnAnotherTimelineThanThePrimaryFailsAsFollowingAnotherServer() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0).setPrimaryTimeline(2).setReceivedTimeline(1)
                .setSender("10.0.0.9:5432")));

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).endsWith("; it receives timeline 1 from 10.0.0.9:5432 while the primary writes timeline 2: it follows another"
                + " server, not the primary (after a failover, point its primary_conninfo at the new primary; if it went past the fork,"
                + " pg_rewind it or rebuild it)");
    }

    @Test
    void aMissingOrLostReplicationSlotFailsSayingWhatToDo() {
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0).setReplicationSlot("standby1")
                .setSlotState(ReplicationSlotState.REPLICATION_SLOT_STATE_MISSING))))
                .isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 0 s and 0 bytes of WAL behind the primary"
                        + " db1:5432 (data-loss objective 15 min); its replication slot standby1 does not exist on the primary"
                        + " (create it there with select pg_create_physical_replication_slot('standby1'))"));
        assertThat(evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0).setReplicationSlot("standby1")
                .setSlotState(ReplicationSlotState.REPLICATION_SLOT_STATE_LOST))).reason())
                .endsWith("; the primary removed WAL its replication slot standby1 kept for it (wal_status lost): rebuild the standby with pg_basebackup");
    }

    @Test
    void replayHeldBackByQueriesIsNamedAndJudgedByTheLag() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ofMinutes(25), 81_920).setReplayWaitsForQueries(true)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 25 min and 80.0 KB of WAL behind"
                + " the primary db1:5432; the data-loss objective is 15 min; replay waits for queries on the secondary that conflict with it"
                + " (see max_standby_streaming_delay and hot_standby_feedback)"));
    }

    @Test
    void aLogShippingStandbyWhosePrimaryCannotArchiveFailsEvenBeforeTheLagGrows() {
        RuleVerdict verdict = evaluate(observed(CheckStatus.CHECK_STATUS_FAIL, standby(Duration.ZERO, 0)
                .setReplicationMode(ReplicationMode.REPLICATION_MODE_LOG_SHIPPING).setWalReceiver(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING)
                .setArchiveFailing(true)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "secondary db2:5432 is 0 s and 0 bytes of WAL behind"
                + " the primary db1:5432 through log shipping (restore_command) (data-loss objective 15 min); the primary's archive_command"
                + " is failing, so no new WAL reaches it (see pg_stat_archiver and the primary's log)"));
    }
}
