package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.database.RealPostgres;
import io.rampart.agent.collectors.database.RealPostgres.Server;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;
import io.rampart.protocol.agent.v1.ReplicationMode;
import io.rampart.protocol.agent.v1.ReplicationSlotState;
import io.rampart.protocol.agent.v1.SecondaryRole;
import io.rampart.protocol.agent.v1.WalReceiverState;

/**
 * Against a real PostgreSQL 15 primary (archiving its WAL to a folder) and a real streaming standby made with
 * pg_basebackup -R, plus log-shipping and promoted standbys where a test needs one ({@link RealPostgres}).
 * Ordered: the last test stops the streaming standby.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseSyncCollectorPostgresTest {

    private static final String RECEIVER_ADVICE = "(check primary_conninfo on the secondary, the network to the primary,"
            + " the replication slot and pg_hba.conf on the primary)";

    private static RealPostgres postgres;
    private static Server primary;
    private static Server standby;

    @TempDir
    Path agentHome;

    @BeforeAll
    static void startPrimaryAndStandby() throws Exception {
        Assumptions.assumeTrue(RealPostgres.installed(), "PostgreSQL 15 server binaries are not installed");
        postgres = RealPostgres.startPrimary();
        primary = postgres.primary();
        standby = postgres.streamingStandby("standby");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void passesWithNoLagAndASuccessfulVerificationWhenTheStandbyHasCaughtUp() throws Exception {
        RealPostgres.sql(primary, "create table appointments (id serial primary key, patient text)");
        RealPostgres.sql(primary, "insert into appointments (patient) select 'patient ' || g from generate_series(1, 500) g");
        await().atMost(Duration.ofSeconds(20)).until(() -> "500".equals(RealPostgres.sql(standby, "select count(*) from appointments")));

        CheckResult result = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15),
                "verify-query=select count(*) from appointments");

        assertThat(result.getKind()).isEqualTo(CheckKind.CHECK_KIND_DATABASE_SYNC);
        assertThat(result.getDatabaseSync().getEngine()).isEqualTo("postgresql");
        assertThat(result.getDatabaseSync().getSecondaryReachable()).isTrue();
        assertThat(result.getDatabaseSync().getSecondaryRole()).isEqualTo(SecondaryRole.SECONDARY_ROLE_STANDBY);
        assertThat(result.getDatabaseSync().getReplicationMode()).isEqualTo(ReplicationMode.REPLICATION_MODE_STREAMING);
        assertThat(result.getDatabaseSync().getWalReceiver()).isEqualTo(WalReceiverState.WAL_RECEIVER_STATE_STREAMING);
        assertThat(result.getDatabaseSync().getSender()).isEqualTo(primary.address());
        assertThat(result.getDatabaseSync().getLagAgainstPrimary()).isTrue();
        assertThat(DesiredConfiguration.toDuration(result.getDatabaseSync().getLag())).isZero();
        assertThat(result.getDatabaseSync().getPrimaryLsn()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(result.getDatabaseSync().getVerification()).isEqualTo("ok: 500");
        assertThat(result.getDatabaseSync().hasVerifiedAt()).isTrue();
        assertThat(result.getSummary()).matches("secondary " + standby.address() + " is 0 s and [0-9.]+ (bytes|KB) of WAL behind the primary "
                + primary.address() + " \\(data-loss objective 15 min\\); verification query on the secondary answered 500");
        assertThat(Files.readString(agentHome.resolve("database-sync.properties"))).contains("practice-db.verified-at=");
    }

    @Test
    @Order(2)
    void failsWhenThePrimaryAndSecondarySettingsNameTheSameServer() throws Exception {
        CheckResult result = collector("secondary=" + primary.address()).run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("the secondary " + primary.address() + " and the primary " + primary.address()
                + " are the same server: name the standby as the secondary in checks.properties");
        assertThat(result.getDatabaseSync().getSecondaryRole()).isEqualTo(SecondaryRole.SECONDARY_ROLE_SAME_SERVER);
    }

    @Test
    @Order(3)
    void failsWhenTheVerificationQueryFailsOnTheSecondary() throws Exception {
        CheckResult result = collector("verify-query=select count(*) from no_such_table").run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).contains("the verification query fails on the secondary " + standby.address())
                .contains("no_such_table").contains("it has never succeeded");
        assertThat(result.getDatabaseSync().getVerification()).startsWith("failed: ");
    }

    @Test
    @Order(4)
    void cannotJudgeTheStandbyWhenThePrimaryDoesNotAnswer() throws Exception {
        int nobody = RealPostgres.freePort();

        CheckResult result = collector("primary=127.0.0.1:" + nobody).run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("cannot judge the secondary " + standby.address()
                + " against the primary: cannot reach the primary 127.0.0.1:" + nobody + ": ").contains("Connection refused");
        assertThat(result.getDatabaseSync().getPrimaryUnreachable()).isTrue();
        assertThat(result.getDatabaseSync().hasLag()).isFalse();
    }

    @Test
    @Order(5)
    void warnsWhenReplayIsPausedOnAQuietPrimaryAndFailsOnceThePrimaryWritesAgain() throws Exception {
        RealPostgres.sql(standby, "select pg_wal_replay_pause()");
        try {
            CheckResult quiet = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_WARN, Duration.ofMinutes(15));

            assertThat(quiet.getSummary()).matches("secondary " + standby.address() + " is 0 s and .+ of WAL behind the primary "
                    + primary.address() + " \\(data-loss objective 15 min\\); replay is paused on the secondary"
                    + " \\(resume it with select pg_wal_replay_resume\\(\\)\\)");
            assertThat(quiet.getDatabaseSync().getReplayPaused()).isTrue();

            RealPostgres.sql(primary, "insert into appointments (patient) values ('late patient')");
            CheckResult behind = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL, Duration.ofSeconds(1));

            assertThat(behind.getSummary()).matches("secondary " + standby.address() + " is \\d+ s and [0-9.]+ (bytes|KB) of WAL behind the primary "
                    + primary.address() + "; the data-loss objective is 1 s; replay is paused on the secondary .*");
            assertThat(behind.getDatabaseSync().getBytesBehind()).isPositive();
            assertThat(DesiredConfiguration.toDuration(behind.getDatabaseSync().getLag())).isGreaterThan(Duration.ofSeconds(1));
        } finally {
            RealPostgres.sql(standby, "select pg_wal_replay_resume()");
        }
        runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofSeconds(5));
    }

    @Test
    @Order(6)
    void failsNamingTheWalReceiverWithBytesAndTimeBehindWhenItIsCutOffWhileThePrimaryKeepsWriting() throws Exception {
        String conninfo = RealPostgres.sql(standby, "show primary_conninfo");
        int closed = RealPostgres.freePort();
        RealPostgres.sql(standby, "alter system set primary_conninfo = 'host=127.0.0.1 port=" + closed + " user=postgres'");
        RealPostgres.sql(standby, "select pg_reload_conf()");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !"streaming".equals(RealPostgres.sql(standby,
                    "select coalesce(max(status), 'none') from pg_stat_wal_receiver")));
            RealPostgres.sql(primary, "insert into appointments (patient) select 'evening patient ' || g from generate_series(1, 200) g");

            CheckResult result = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL
                    && DesiredConfiguration.toDuration(r.getDatabaseSync().getLag()).compareTo(Duration.ofSeconds(1)) >= 0,
                    Duration.ofMinutes(15));

            assertThat(result.getSummary()).matches("secondary " + standby.address() + " is \\d+ s and [0-9.]+ KB of WAL behind the primary "
                    + primary.address() + " \\(data-loss objective 15 min\\); its WAL receiver is (not running|\\w+, not streaming) "
                    + java.util.regex.Pattern.quote(RECEIVER_ADVICE));
            assertThat(result.getDatabaseSync().getBytesBehind()).isPositive();
            assertThat(result.getDatabaseSync().getWalReceiver()).isIn(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING,
                    WalReceiverState.WAL_RECEIVER_STATE_NOT_STREAMING);
            assertThat(result.getDatabaseSync().getReplayLsn()).isNotEqualTo(result.getDatabaseSync().getPrimaryLsn());
        } finally {
            RealPostgres.sql(standby, "alter system set primary_conninfo = '" + conninfo.replace("'", "''") + "'");
            RealPostgres.sql(standby, "select pg_reload_conf()");
        }
        runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15));
    }

    @Test
    @Order(7)
    void passesALogShippingStandbyOnAQuietPrimaryAndFailsItWhenTheArchiveLeavesItBehind() throws Exception {
        Server shipped = postgres.logShippingStandby("shipped");
        RealPostgres.sql(primary, "insert into appointments (patient) values ('shipped patient')");
        RealPostgres.sql(primary, "select pg_switch_wal()");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "1".equals(RealPostgres.sql(shipped, "select count(*) from appointments where patient = 'shipped patient'")));

        CheckResult quiet = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15),
                "secondary=" + shipped.address());

        assertThat(quiet.getSummary()).startsWith("secondary " + shipped.address() + " is 0 s and ")
                .contains("of WAL behind the primary " + primary.address() + " through log shipping (restore_command) (data-loss objective 15 min)");
        assertThat(quiet.getDatabaseSync().getReplicationMode()).isEqualTo(ReplicationMode.REPLICATION_MODE_LOG_SHIPPING);
        assertThat(quiet.getDatabaseSync().getWalReceiver()).isEqualTo(WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING);

        RealPostgres.sql(primary, "insert into appointments (patient) values ('not yet archived')");
        CheckResult behind = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL, Duration.ofSeconds(1), "secondary=" + shipped.address());

        assertThat(behind.getSummary()).matches("secondary " + shipped.address() + " is \\d+ s and [0-9.]+ (bytes|KB) of WAL behind the primary "
                + primary.address() + " through log shipping \\(restore_command\\); the data-loss objective is 1 s;"
                + " the primary's archive_timeout is off: set it below the data-loss objective");
    }

    @Test
    @Order(8)
    void failsALogShippingStandbyWhenThePrimarysArchiveCommandFails() throws Exception {
        Server shipped = postgres.server("shipped");
        RealPostgres.sql(primary, "alter system set archive_command = 'false'");
        RealPostgres.sql(primary, "select pg_reload_conf()");
        try {
            RealPostgres.sql(primary, "insert into appointments (patient) values ('never archived')");
            RealPostgres.sql(primary, "select pg_switch_wal()");

            CheckResult result = runUntil(r -> r.getDatabaseSync().getArchiveFailing(), Duration.ofMinutes(15), "secondary=" + shipped.address());

            assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
            assertThat(result.getSummary()).contains(" through log shipping (restore_command)")
                    .endsWith("; the primary's archive_command is failing, so no new WAL reaches it (see pg_stat_archiver and the primary's log)");
        } finally {
            RealPostgres.sql(primary, "alter system reset archive_command");
            RealPostgres.sql(primary, "select pg_reload_conf()");
        }
        runUntil(r -> !r.getDatabaseSync().getArchiveFailing(), Duration.ofMinutes(15), "secondary=" + shipped.address());
    }

    @Test
    @Order(9)
    void failsAStandbyWithNeitherPrimaryConninfoNorRestoreCommand() throws Exception {
        Server shipped = postgres.server("shipped");
        RealPostgres.sql(shipped, "alter system set restore_command = ''");
        RealPostgres.sql(shipped, "select pg_reload_conf()");

        CheckResult result = runUntil(r -> r.getDatabaseSync().getReplicationMode() == ReplicationMode.REPLICATION_MODE_NONE,
                Duration.ofMinutes(15), "secondary=" + shipped.address());

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).contains("; it has neither primary_conninfo nor restore_command, so nothing new reaches it");
    }

    @Test
    @Order(10)
    void failsAskingForPgMonitorWhenTheAgentsUserMayNotSeeReplicationAndPassesOnceGranted() throws Exception {
        RealPostgres.sql(primary, "create role rampart_monitor login");
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(RealPostgres.sql(standby,
                "select count(*) from pg_roles where rolname = 'rampart_monitor'")));

        CheckResult blind = collector("user=rampart_monitor").run(check(Duration.ofMinutes(15)));

        assertThat(blind.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(blind.getSummary()).matches("secondary " + standby.address() + " is 0 s and [0-9.]+ (bytes|KB) of WAL behind the primary "
                + primary.address() + " \\(data-loss objective 15 min\\); the agent's database user may not read primary_conninfo and"
                + " restore_command: grant it pg_monitor");
        assertThat(blind.getDatabaseSync().getWalReceiver()).isEqualTo(WalReceiverState.WAL_RECEIVER_STATE_NOT_VISIBLE);

        RealPostgres.sql(primary, "grant pg_monitor to rampart_monitor");
        CheckResult granted = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15), "user=rampart_monitor");

        assertThat(granted.getDatabaseSync().getWalReceiver()).isEqualTo(WalReceiverState.WAL_RECEIVER_STATE_STREAMING);
    }

    @Test
    @Order(11)
    void failsNamingAReplicationSlotTheStandbyWantsButThePrimaryDoesNotHave() throws Exception {
        RealPostgres.sql(standby, "alter system set primary_slot_name = 'practice_standby'");
        RealPostgres.sql(standby, "select pg_reload_conf()");
        try {
            CheckResult result = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL, Duration.ofMinutes(15));

            assertThat(result.getSummary()).contains("; its WAL receiver is ").endsWith(RECEIVER_ADVICE
                    + "; its replication slot practice_standby does not exist on the primary"
                    + " (create it there with select pg_create_physical_replication_slot('practice_standby'))");
            assertThat(result.getDatabaseSync().getSlotState()).isEqualTo(ReplicationSlotState.REPLICATION_SLOT_STATE_MISSING);

            RealPostgres.sql(primary, "select pg_create_physical_replication_slot('practice_standby')");
            // the primary is asked first: its slot turns active a moment after the standby starts streaming
            CheckResult streaming = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS
                    && r.getDatabaseSync().getSlotState() == ReplicationSlotState.REPLICATION_SLOT_STATE_ACTIVE, Duration.ofMinutes(15));

            assertThat(streaming.getDatabaseSync().getReplicationSlot()).isEqualTo("practice_standby");
            assertThat(streaming.getDatabaseSync().getSlotState()).isEqualTo(ReplicationSlotState.REPLICATION_SLOT_STATE_ACTIVE);
        } finally {
            RealPostgres.sql(standby, "alter system reset primary_slot_name");
            RealPostgres.sql(standby, "select pg_reload_conf()");
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "t".equals(RealPostgres.sql(primary,
                "select coalesce(bool_and(not active), true) from pg_replication_slots where slot_name = 'practice_standby'")));
        RealPostgres.sql(primary, "select pg_drop_replication_slot('practice_standby')");
        runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15));
    }

    @Test
    @Order(12)
    void failsSayingReplayWaitsForQueriesOnTheSecondaryWhenALongQueryHoldsReplayBack() throws Exception {
        RealPostgres.sql(standby, "alter system set max_standby_streaming_delay = -1");
        RealPostgres.sql(standby, "select pg_reload_conf()");
        Process blocker = RealPostgres.startQuery(standby, "rampart-blocker", "select count(*) from appointments; select pg_sleep(120)");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(RealPostgres.sql(standby,
                    "select count(*) from pg_locks l join pg_stat_activity a using (pid) where a.application_name = 'rampart-blocker'"
                            + " and l.relation = 'appointments'::regclass")));
            RealPostgres.sql(primary, "alter table appointments add column note text");
            RealPostgres.sql(primary, "insert into appointments (patient) values ('waiting patient')");

            CheckResult result = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL && r.getDatabaseSync().getReplayWaitsForQueries(),
                    Duration.ofSeconds(1));

            assertThat(result.getSummary()).matches("secondary " + standby.address() + " is \\d+ s and .+ of WAL behind the primary "
                    + primary.address() + "; the data-loss objective is 1 s; replay waits for queries on the secondary that conflict with it"
                    + " \\(see max_standby_streaming_delay and hot_standby_feedback\\)");
        } finally {
            RealPostgres.sql(standby, "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rampart-blocker'");
            blocker.destroy();
            RealPostgres.sql(standby, "alter system reset max_standby_streaming_delay");
            RealPostgres.sql(standby, "select pg_reload_conf()");
        }
        runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15));
    }

    @Test
    @Order(13)
    void failsAPromotedStandbyAsNoLongerASecondary() throws Exception {
        Server promoted = postgres.streamingStandby("promoted");
        postgres.promote(promoted);

        CheckResult result = collector("secondary=" + promoted.address()).run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("the secondary " + promoted.address() + " is not in recovery, so it no longer copies the primary "
                + primary.address() + " (promoted, or the wrong server?); if both take writes, stop one and rebuild it as a standby");
        assertThat(result.getDatabaseSync().getSecondaryRole()).isEqualTo(SecondaryRole.SECONDARY_ROLE_NOT_IN_RECOVERY);
    }

    @Test
    @Order(14)
    void failsAStandbyStillOnTheOldTimelineAfterAFailover() throws Exception {
        Server promoted = postgres.server("promoted");
        // The standby's WAL receiver may be between reconnects after the earlier tests; only a running receiver reports the timeline it receives.
        await().atMost(Duration.ofSeconds(30)).until(() -> "streaming".equals(RealPostgres.sql(standby,
                "select coalesce(max(status), 'none') from pg_stat_wal_receiver")));

        CheckResult result = runUntil(r -> r.getDatabaseSync().getReceivedTimeline() != 0, Duration.ofMinutes(15), "primary=" + promoted.address());

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).contains("; it receives timeline 1 from " + primary.address() + " while the primary writes timeline 2:"
                + " it follows another server, not the primary (after a failover, point its primary_conninfo at the new primary;"
                + " if it went past the fork, pg_rewind it or rebuild it)");
        assertThat(result.getDatabaseSync().getPrimaryTimeline()).isEqualTo(2);
        assertThat(result.getDatabaseSync().getReceivedTimeline()).isEqualTo(1);
    }

    @Test
    @Order(15)
    void passesACascadedStandbyMeasuredAgainstWhatItsUpstreamStandbyHasReceived() throws Exception {
        Server cascaded = postgres.streamingStandby("cascaded", standby);
        RealPostgres.sql(primary, "insert into appointments (patient) values ('cascaded patient')");
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(RealPostgres.sql(cascaded,
                "select count(*) from appointments where patient = 'cascaded patient'")));

        CheckResult result = runUntil(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, Duration.ofMinutes(15),
                "primary=" + standby.address(), "secondary=" + cascaded.address());

        assertThat(result.getSummary()).startsWith("secondary " + cascaded.address() + " is 0 s and ")
                .contains("of WAL behind the primary " + standby.address() + " (itself a standby) (data-loss objective 15 min)");
        assertThat(result.getDatabaseSync().getPrimaryIsStandby()).isTrue();
        assertThat(result.getDatabaseSync().getSender()).isEqualTo(standby.address());
    }

    @Test
    @Order(16)
    void errorsNamingTheStandbyWhenItIsStopped() throws Exception {
        postgres.stop(standby);

        CheckResult result = collector().run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("cannot reach the secondary " + standby.address());
        assertThat(result.getDatabaseSync().getSecondaryReachable()).isFalse();
    }

    private CheckResult runUntil(Predicate<CheckResult> done, Duration maxLag, String... overrides) {
        AtomicReference<CheckResult> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last.set(collector(overrides).run(check(maxLag)));
            return done.test(last.get());
        });
        return last.get();
    }

    private DatabaseSyncCollector collector(String... overrides) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "check.practice-db.engine=postgresql",
                "check.practice-db.primary=" + primary.address(),
                "check.practice-db.secondary=" + standby.address(),
                "check.practice-db.database=postgres",
                "check.practice-db.user=postgres"));
        for (String override : overrides) {
            lines.add("check.practice-db." + override);
        }
        Path checks = agentHome.resolve("checks.properties");
        Files.write(checks, lines, StandardCharsets.UTF_8);
        AgentHome home = AgentHome.at(agentHome);
        return new DatabaseSyncCollector(home, home.localChecks(), Clock.systemUTC());
    }

    private static CheckDefinition check(Duration maxLag) {
        return CheckDefinition.newBuilder().setCheckId("practice-db").setKind(CheckKind.CHECK_KIND_DATABASE_SYNC)
                .setDatabaseSync(DatabaseSyncSettings.newBuilder()
                        .setMaxLag(DesiredConfiguration.toProto(maxLag))
                        .setVerifyEvery(DesiredConfiguration.toProto(Duration.ofHours(24))))
                .build();
    }
}
