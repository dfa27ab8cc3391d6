package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncSettings;

/**
 * Against a real PostgreSQL 15 primary and a real streaming standby made with pg_basebackup -R,
 * both run as the postgres system user in a temp folder on free ports. Ordered: the last test stops the standby.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseSyncCollectorPostgresTest {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private static Path base;
    private static int primaryPort;
    private static int standbyPort;

    @TempDir
    Path agentHome;

    @BeforeAll
    static void startPrimaryAndStandby() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(BIN.resolve("postgres")), "PostgreSQL 15 server binaries are not installed");
        base = Files.createTempDirectory("rampart-pg");
        if (ROOT) {
            Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        primaryPort = freePort();
        standbyPort = freePort();
        Path primary = base.resolve("primary");
        asPostgres("initdb", "-D", primary.toString(), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync");
        Files.writeString(primary.resolve("postgresql.conf"), String.join("\n",
                "", "listen_addresses = '127.0.0.1'", "port = " + primaryPort, "unix_socket_directories = '" + base + "'",
                "wal_level = replica", "max_wal_senders = 5", "fsync = off", "hot_standby = on", ""),
                StandardOpenOption.APPEND);
        Files.writeString(primary.resolve("pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n", StandardOpenOption.APPEND);
        asPostgres("pg_ctl", "-D", primary.toString(), "-l", base.resolve("primary.log").toString(), "-w", "-t", "60", "start");

        Path standby = base.resolve("standby");
        asPostgres("pg_basebackup", "-R", "-D", standby.toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                "-U", "postgres", "-X", "stream", "-c", "fast");
        Files.writeString(standby.resolve("postgresql.conf"), "\nport = " + standbyPort + "\n", StandardOpenOption.APPEND);
        asPostgres("pg_ctl", "-D", standby.toString(), "-l", base.resolve("standby.log").toString(), "-w", "-t", "60", "start");
        await().atMost(Duration.ofSeconds(30)).until(() -> "streaming".equals(
                sql(primaryPort, "select state from pg_stat_replication limit 1")));
    }

    @AfterAll
    static void stopBoth() throws Exception {
        if (base == null) {
            return;
        }
        for (String data : List.of("standby", "primary")) {
            if (Files.exists(base.resolve(data).resolve("postmaster.pid"))) {
                run(false, List.of(BIN.resolve("pg_ctl").toString(), "-D", base.resolve(data).toString(), "-m", "fast", "-w", "stop"));
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void passesWithNoLagAndASuccessfulVerificationWhenTheStandbyHasCaughtUp() throws Exception {
        sql(primaryPort, "create table appointments (id serial primary key, patient text)");
        sql(primaryPort, "insert into appointments (patient) select 'patient ' || g from generate_series(1, 500) g");
        await().atMost(Duration.ofSeconds(20)).until(() -> "500".equals(sql(standbyPort, "select count(*) from appointments")));

        AtomicReference<CheckResult> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            last.set(collector("verify-query=select count(*) from appointments").run(check(Duration.ofMinutes(15))));
            return last.get().getStatus() == CheckStatus.CHECK_STATUS_PASS;
        });
        CheckResult result = last.get();

        assertThat(result.getKind()).isEqualTo(CheckKind.CHECK_KIND_DATABASE_SYNC);
        assertThat(result.getDatabaseSync().getEngine()).isEqualTo("postgresql");
        assertThat(result.getDatabaseSync().getSecondaryReachable()).isTrue();
        assertThat(DesiredConfiguration.toDuration(result.getDatabaseSync().getLag())).isLessThan(Duration.ofSeconds(1));
        assertThat(result.getDatabaseSync().getVerification()).isEqualTo("ok: 500");
        assertThat(result.getDatabaseSync().hasVerifiedAt()).isTrue();
        assertThat(result.getSummary()).startsWith("secondary 127.0.0.1:" + standbyPort + " is 0 s behind the primary 127.0.0.1:"
                + primaryPort + " (data-loss objective 15 min)").contains("answered 500");
        assertThat(Files.readString(agentHome.resolve("database-sync.properties"))).contains("practice-db.verified-at=");
    }

    @Test
    @Order(2)
    void failsWhenTheConfiguredSecondaryIsNotInRecovery() throws Exception {
        CheckResult result = collector("secondary=127.0.0.1:" + primaryPort).run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("the secondary 127.0.0.1:" + primaryPort + " is not in recovery");
    }

    @Test
    @Order(3)
    void failsWhenTheVerificationQueryFailsOnTheSecondary() throws Exception {
        CheckResult result = collector("verify-query=select count(*) from no_such_table").run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).contains("the verification query fails on the secondary 127.0.0.1:" + standbyPort)
                .contains("no_such_table").contains("it has never succeeded");
        assertThat(result.getDatabaseSync().getVerification()).startsWith("failed: ");
    }

    @Test
    @Order(4)
    void errorsNamingThePrimaryWhenNothingAnswersThere() throws Exception {
        int nobody = freePort();

        CheckResult result = collector("primary=127.0.0.1:" + nobody).run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("cannot reach the primary 127.0.0.1:" + nobody);
    }

    @Test
    @Order(5)
    void failsReportingTheLagWhenTheStandbyFallsBehindThePrimary() throws Exception {
        sql(standbyPort, "select pg_wal_replay_pause()");
        try {
            sql(primaryPort, "insert into appointments (patient) values ('late patient')");
            AtomicReference<CheckResult> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(collector().run(check(Duration.ofSeconds(1))));
                return last.get().getStatus() == CheckStatus.CHECK_STATUS_FAIL;
            });
            CheckResult result = last.get();

            assertThat(result.getSummary()).matches("secondary is \\d+ s behind the primary; the data-loss objective is 1 s");
            assertThat(DesiredConfiguration.toDuration(result.getDatabaseSync().getLag())).isGreaterThan(Duration.ofSeconds(1));
        } finally {
            sql(standbyPort, "select pg_wal_replay_resume()");
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> collector().run(check(Duration.ofSeconds(5))).getStatus() == CheckStatus.CHECK_STATUS_PASS);
    }

    @Test
    @Order(6)
    void errorsNamingTheStandbyWhenItIsStopped() throws Exception {
        asPostgres("pg_ctl", "-D", base.resolve("standby").toString(), "-m", "fast", "-w", "stop");

        CheckResult result = collector().run(check(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("cannot reach the secondary 127.0.0.1:" + standbyPort);
        assertThat(result.getDatabaseSync().getSecondaryReachable()).isFalse();
    }

    private DatabaseSyncCollector collector(String... overrides) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "check.practice-db.engine=postgresql",
                "check.practice-db.primary=127.0.0.1:" + primaryPort,
                "check.practice-db.secondary=127.0.0.1:" + standbyPort,
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

    private static String sql(int port, String sql) throws Exception {
        return run(true, List.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql)).trim();
    }

    private static void asPostgres(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(args));
        run(true, command);
    }

    private static String run(boolean mustSucceed, List<String> command) throws Exception {
        List<String> full = new ArrayList<>(command);
        if (ROOT && !full.get(0).equals("runuser") && !full.get(0).equals("psql")) {
            full.addAll(0, List.of("runuser", "-u", "postgres", "--"));
        }
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + full);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (mustSucceed && process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
