package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

import io.rampart.agent.collectors.DatabaseSyncCollector;
import io.rampart.agent.collectors.database.RealPostgres;
import io.rampart.agent.collectors.database.RealPostgres.Server;
import io.rampart.agent.config.AgentHome;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;

/**
 * The agent's DatabaseSyncCollector against a real PostgreSQL 15 primary and its standbys (the agent's RealPostgres
 * fixture), its CheckResult fed to DbSyncRule: the same status (the agent's WARN is the rule's AT_RISK, its ERROR the
 * rule's FAIL) and the same words about the secondary. Ordered: later tests cut off or promote standbys.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DbSyncVerdictsAgreeTest {

    private static final Map<CheckStatus, PracticeStatus> SAME = Map.of(CheckStatus.CHECK_STATUS_PASS, PracticeStatus.PASS,
            CheckStatus.CHECK_STATUS_WARN, PracticeStatus.AT_RISK, CheckStatus.CHECK_STATUS_FAIL, PracticeStatus.FAIL,
            CheckStatus.CHECK_STATUS_ERROR, PracticeStatus.FAIL);

    private static RealPostgres postgres;
    private static Server primary;
    private static Server standby;

    private final DbSyncRule rule = new DbSyncRule();

    @TempDir
    Path agentHome;

    @BeforeAll
    static void startPrimaryAndStandby() throws Exception {
        Assumptions.assumeTrue(RealPostgres.installed(), "PostgreSQL 15 server binaries are not installed");
        postgres = RealPostgres.startPrimary();
        primary = postgres.primary();
        standby = postgres.streamingStandby("standby");
        RealPostgres.sql(primary, "create table appointments (id serial primary key, patient text)");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void agreeThatACaughtUpStreamingStandbyPasses() throws Exception {
        RuleVerdict verdict = agree(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(verdict.reason()).startsWith("secondary " + standby.address() + " is 0 s and ");
    }

    @Test
    @Order(2)
    void agreeThatTheSameServerAsPrimaryAndSecondaryFails() throws Exception {
        RuleVerdict verdict = agree(r -> true, "secondary=" + primary.address());

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).contains("are the same server");
    }

    @Test
    @Order(3)
    void agreeThatAStandbyCannotBeJudgedWhenThePrimaryDoesNotAnswer() throws Exception {
        RuleVerdict verdict = agree(r -> true, "primary=127.0.0.1:" + RealPostgres.freePort());

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("cannot judge the secondary " + standby.address() + " against the primary: cannot reach the primary");
    }

    @Test
    @Order(4)
    void agreeThatPausedReplayOnAQuietPrimaryIsAtRisk() throws Exception {
        RealPostgres.sql(standby, "select pg_wal_replay_pause()");
        try {
            RuleVerdict verdict = agree(r -> r.getStatus() == CheckStatus.CHECK_STATUS_WARN);

            assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
            assertThat(verdict.reason()).endsWith("; replay is paused on the secondary (resume it with select pg_wal_replay_resume())");
        } finally {
            RealPostgres.sql(standby, "select pg_wal_replay_resume()");
        }
    }

    @Test
    @Order(5)
    void agreeThatACutOffWalReceiverFailsWhileThePrimaryKeepsWriting() throws Exception {
        String conninfo = RealPostgres.sql(standby, "show primary_conninfo");
        RealPostgres.sql(standby, "alter system set primary_conninfo = 'host=127.0.0.1 port=" + RealPostgres.freePort() + " user=postgres'");
        RealPostgres.sql(standby, "select pg_reload_conf()");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !"streaming".equals(RealPostgres.sql(standby,
                    "select coalesce(max(status), 'none') from pg_stat_wal_receiver")));
            RealPostgres.sql(primary, "insert into appointments (patient) select 'evening patient ' || g from generate_series(1, 200) g");

            RuleVerdict verdict = agree(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL && r.getDatabaseSync().getLag().getSeconds() >= 1);

            assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
            assertThat(verdict.reason()).matches("secondary " + standby.address() + " is \\d+ s and [0-9.]+ KB of WAL behind the primary "
                    + primary.address() + " \\(data-loss objective 15 min\\); its WAL receiver is (not running|\\w+, not streaming) \\(check .*");
        } finally {
            RealPostgres.sql(standby, "alter system set primary_conninfo = '" + conninfo.replace("'", "''") + "'");
            RealPostgres.sql(standby, "select pg_reload_conf()");
        }
    }

    @Test
    @Order(6)
    void agreeThatALogShippingStandbyOnAQuietPrimaryPasses() throws Exception {
        Server shipped = postgres.logShippingStandby("shipped");
        RealPostgres.sql(primary, "insert into appointments (patient) values ('shipped patient')");
        RealPostgres.sql(primary, "select pg_switch_wal()");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "1".equals(RealPostgres.sql(shipped, "select count(*) from appointments where patient = 'shipped patient'")));

        RuleVerdict verdict = agree(r -> r.getStatus() == CheckStatus.CHECK_STATUS_PASS, "secondary=" + shipped.address());

        assertThat(verdict.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(verdict.reason()).startsWith("secondary " + shipped.address() + " is 0 s and ").contains("through log shipping (restore_command)");
    }

    @Test
    @Order(7)
    void agreeThatAPromotedStandbyFails() throws Exception {
        Server promoted = postgres.streamingStandby("promoted");
        postgres.promote(promoted);

        RuleVerdict verdict = agree(r -> true, "secondary=" + promoted.address());

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("the secondary " + promoted.address() + " is not in recovery");
    }

    @Test
    @Order(8)
    void agreeThatAStandbyStillOnTheOldTimelineAfterAFailoverFails() throws Exception {
        Server promoted = postgres.server("promoted");

        // the standby's WAL receiver restarts now and then (on a busy machine it was caught between two connections):
        // wait for an observation made while it streams, which is the state this case is about
        RuleVerdict verdict = agree(r -> r.getSummary().contains("it receives timeline"), "primary=" + promoted.address());

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).contains("; it receives timeline 1 from " + primary.address() + " while the primary writes timeline 2");
    }

    @Test
    @Order(9)
    void agreeThatAReplicationSlotMissingOnThePrimaryFails() throws Exception {
        RealPostgres.sql(standby, "alter system set primary_slot_name = 'practice_standby'");
        RealPostgres.sql(standby, "select pg_reload_conf()");
        try {
            RuleVerdict verdict = agree(r -> r.getStatus() == CheckStatus.CHECK_STATUS_FAIL);

            assertThat(verdict.reason()).contains("; its replication slot practice_standby does not exist on the primary");
        } finally {
            RealPostgres.sql(standby, "alter system reset primary_slot_name");
            RealPostgres.sql(standby, "select pg_reload_conf()");
        }
    }

    /**
     * Runs the collector until {@code until} holds, judges its result with the rule at the moment it was made and
     * asserts they agree: same status, and the rule's reason is the agent's summary (when the agent passes, the first
     * sentence, about the secondary against the primary; the verification sentences differ in what each side knows).
     */
    private RuleVerdict agree(Predicate<CheckResult> until, String... overrides) throws Exception {
        AtomicReference<CheckResult> last = new AtomicReference<>();
        AtomicReference<Instant> at = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last.set(collector(overrides).run(check()));
            at.set(Instant.now());
            return until.test(last.get());
        });
        CheckResult result = last.get();
        RuleVerdict verdict = rule.evaluate(PracticeEvidence.onboarded("practice", at.get().minus(Duration.ofDays(30)))
                .withCheck(new CheckEvidence(result, at.get())), at.get());

        assertThat(verdict.status()).as(result.getSummary()).isEqualTo(SAME.get(result.getStatus()));
        if (result.getStatus() == CheckStatus.CHECK_STATUS_PASS) {
            assertThat(verdict.reason().split("; ")[0]).isEqualTo(result.getSummary().split("; ")[0]);
        } else {
            assertThat(verdict.reason()).isEqualTo(result.getSummary());
        }
        return verdict;
    }

    private DatabaseSyncCollector collector(String... overrides) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "check.db-sync.engine=postgresql",
                "check.db-sync.primary=" + primary.address(),
                "check.db-sync.secondary=" + standby.address(),
                "check.db-sync.database=postgres",
                "check.db-sync.user=postgres"));
        for (String override : overrides) {
            lines.add("check.db-sync." + override);
        }
        Files.write(agentHome.resolve("checks.properties"), lines, StandardCharsets.UTF_8);
        AgentHome home = AgentHome.at(agentHome);
        return new DatabaseSyncCollector(home, home.localChecks(), Clock.systemUTC());
    }

    /** The check as the control plane sends it with the reference policy's thresholds. */
    private static CheckDefinition check() {
        return CheckDefinition.newBuilder().setCheckId("db-sync").setKind(CheckKind.CHECK_KIND_DATABASE_SYNC)
                .setDatabaseSync(DatabaseSyncSettings.newBuilder()
                        .setMaxLag(ProtoTime.duration(Thresholds.DbSync.DEFAULT.maxLag()))
                        .setVerifyEvery(ProtoTime.duration(Thresholds.DbSync.DEFAULT.verifyEvery())))
                .build();
    }
}
