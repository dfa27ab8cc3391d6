package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.database.DatabaseSync;
import io.rampart.agent.collectors.database.Lsn;
import io.rampart.agent.collectors.database.PrimaryPosition;
import io.rampart.agent.collectors.database.StandbyState;
import io.rampart.agent.collectors.database.XidSnapshot;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;
import io.rampart.protocol.agent.v1.WalReceiverState;

/** The collector's rules with a stand-in engine; the real PostgreSQL pair is in DatabaseSyncCollectorPostgresTest. */
class DatabaseSyncCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final CheckDefinition PRACTICE_DB = CheckDefinition.newBuilder()
            .setCheckId("practice-db").setKind(CheckKind.CHECK_KIND_DATABASE_SYNC)
            .setDatabaseSync(DatabaseSyncSettings.newBuilder()
                    .setMaxLag(DesiredConfiguration.toProto(Duration.ofMinutes(15)))
                    .setVerifyEvery(DesiredConfiguration.toProto(Duration.ofHours(24))))
            .build();

    @TempDir
    Path home;

    @Test
    void failsNamingLagBytesAndObjectiveInMinutes() {
        FakeSync sync = new FakeSync();
        sync.lag = Optional.of(Duration.ofMinutes(22));

        CheckResult result = collector(sync, NOW).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("secondary db2:5432 is 22 min and 4.0 KB of WAL behind the primary db1:5432;"
                + " the data-loss objective is 15 min");
    }

    @Test
    void showsNoLagWhenTheStandbyHasEveryTransactionThePrimaryFinishedThoughWalWithoutDataIsStillToReplay() {
        FakeSync sync = new FakeSync();
        sync.lag = Optional.of(Duration.ofHours(9));
        sync.standbySnapshot = "900:900:";

        CheckResult result = collector(sync, NOW).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("secondary db2:5432 is 0 s and 4.0 KB of WAL behind the primary db1:5432");
    }

    @Test
    void failsAStreamingStandbyWhoseReceiverHasHeardNothingForLongerThanTheReceiverTimeout() {
        FakeSync sync = new FakeSync();
        sync.receiver = Optional.of(new StandbyState.WalReceiver(Optional.of("streaming"), Optional.of(Duration.ofMinutes(3)), "db1:5432", 1));

        CheckResult result = collector(sync, NOW).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("secondary db2:5432 is 0 s and 4.0 KB of WAL behind the primary db1:5432"
                + " (data-loss objective 15 min); its WAL receiver has heard nothing from db1:5432 for 3 min"
                + " (check primary_conninfo on the secondary, the network to the primary, the replication slot and pg_hba.conf on the primary)");
        assertThat(result.getDatabaseSync().getWalReceiver()).isEqualTo(WalReceiverState.WAL_RECEIVER_STATE_SILENT);
    }

    @Test
    void failsWhenTheAgentsUserMayNotSeeTheReplicationSettings() {
        FakeSync sync = new FakeSync();
        sync.conninfoVisible = false;

        CheckResult result = collector(sync, NOW).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).endsWith("; the agent's database user may not read primary_conninfo and restore_command: grant it pg_monitor");
    }

    @Test
    void remembersTheLastVerificationAndSkipsTheQueryUntilItIsDueAgain() {
        FakeSync sync = new FakeSync();
        collector(sync, NOW).run(PRACTICE_DB);
        sync.verifications = 0;

        CheckResult later = collector(sync, NOW.plus(Duration.ofHours(5))).run(PRACTICE_DB);

        assertThat(later.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(sync.verifications).isZero();
        assertThat(later.getSummary()).contains("verification last succeeded 5 h ago (required every 24 h)");
        assertThat(later.getDatabaseSync().getVerifiedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void failsWhenTheVerificationIsDueAndFailsSayingHowOldTheLastSuccessIs() {
        FakeSync sync = new FakeSync();
        collector(sync, NOW).run(PRACTICE_DB);
        sync.verificationFails = true;

        CheckResult result = collector(sync, NOW.plus(Duration.ofHours(30))).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("the verification query fails on the secondary db2:5432 (relation \"x\" does not exist);"
                + " last succeeded 30 h ago, required every 24 h");
    }

    @Test
    void failsWhenTheSecondaryLacksTransactionsButHasReplayedNoneSinceItStarted() {
        FakeSync sync = new FakeSync();
        sync.lag = Optional.empty();

        CheckResult result = collector(sync, NOW).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("secondary db2:5432 is 4.0 KB of WAL behind the primary db1:5432 and cannot tell since when"
                + " (it has replayed no transaction since it started)");
        assertThat(result.getDatabaseSync().hasLag()).isFalse();
    }

    @Test
    void errorsNamingThePropertyToSetWhenTheSecondaryIsNotConfigured() {
        AgentHome agentHome = AgentHome.at(home);
        CheckResult result = new DatabaseSyncCollector(agentHome, LocalChecks.of(Map.of()), Clock.systemUTC()).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.practice-db.primary=<host:port> in checks.properties");
    }

    @Test
    void errorsOnAnEngineThisAgentDoesNotKnow() throws Exception {
        java.nio.file.Files.writeString(home.resolve("checks.properties"),
                "check.practice-db.engine=oracle\ncheck.practice-db.primary=a:1\ncheck.practice-db.secondary=b:2\n");
        AgentHome agentHome = AgentHome.at(home);

        CheckResult result = new DatabaseSyncCollector(agentHome, agentHome.localChecks(), Clock.systemUTC()).run(PRACTICE_DB);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("check.practice-db.engine=oracle is not an engine this agent knows");
    }

    private DatabaseSyncCollector collector(DatabaseSync sync, Instant now) {
        return new DatabaseSyncCollector(AgentHome.at(home), checkId -> sync, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A stand-in engine: the primary at 0/3001000 having finished transaction 900, the standby 4 KB behind. */
    private static final class FakeSync implements DatabaseSync {
        Optional<Duration> lag = Optional.of(Duration.ZERO);
        String standbySnapshot = "899:899:";
        boolean conninfoVisible = true;
        Optional<StandbyState.WalReceiver> receiver = Optional.of(new StandbyState.WalReceiver(Optional.of("streaming"),
                Optional.of(Duration.ofSeconds(2)), "db1:5432", 1));
        boolean verificationFails;
        int verifications;

        @Override
        public String engine() {
            return "postgresql";
        }

        @Override
        public String primary() {
            return "db1:5432";
        }

        @Override
        public String secondary() {
            return "db2:5432";
        }

        @Override
        public PrimaryPosition readPrimary() {
            return new PrimaryPosition(false, Lsn.parse("0/3001000"), XidSnapshot.parse("900:900:"), NOW, 7L,
                    NOW.minus(Duration.ofDays(3)), Duration.ZERO, 1, Map.of(), false);
        }

        @Override
        public StandbyState readSecondary() {
            // a lag of zero: nothing missing; otherwise the last replayed commit that long before the primary's now()
            boolean missing = lag.map(l -> !l.isZero()).orElse(true);
            return new StandbyState(true, Optional.of(Lsn.parse("0/3000000")), lag.map(NOW::minus),
                    XidSnapshot.parse(missing ? standbySnapshot : "900:900:"), false,
                    conninfoVisible ? Optional.of(true) : Optional.empty(), Optional.of(false), 7L, NOW.minus(Duration.ofDays(1)),
                    Duration.ofSeconds(60), receiver, Optional.empty(), false);
        }

        @Override
        public String verifySecondary() throws QueryFailed {
            verifications++;
            if (verificationFails) {
                throw new QueryFailed("relation \"x\" does not exist");
            }
            return "415";
        }
    }
}
