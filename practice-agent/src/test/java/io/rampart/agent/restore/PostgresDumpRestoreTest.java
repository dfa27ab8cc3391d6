package io.rampart.agent.restore;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * Restores real pg_dump files into a real PostgreSQL 15 scratch server ({@link ScratchPostgres}) as the restore role
 * the README tells IT to create, through the {@link RestoreTestCollector}.
 */
class PostgresDumpRestoreTest {

    private static ScratchPostgres server;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startScratchServerWithAClinicalDatabase() throws Exception {
        Assumptions.assumeTrue(ScratchPostgres.installed(), "PostgreSQL 15 server binaries are not installed");
        server = ScratchPostgres.start();
        port = server.port;
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @AfterEach
    void leavesNoScratchDatabaseAndKeepsTheOthers() throws Exception {
        assertThat(scratchDatabases()).isEmpty();
        assertThat(sql("postgres", "select string_agg(datname, ',' order by datname) from pg_database"))
                .isEqualTo("clinical,empty_practice,postgres,template0,template1");
    }

    @Test
    void restoresTheNewestCustomFormatDumpVerifiesItAndDropsTheScratchDatabase() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path older = dumps.resolve("clinical-2026-11-24.sql");
        Files.writeString(older, "this older dump must not be chosen\n");
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_000_000));
        Files.writeString(dumps.resolve("notes.txt"), "not a dump, newer than all of them");
        Path dump = dumps.resolve("clinical-2026-11-25.dump");
        pgDump("clinical", "-Fc", "-f", dump.toString());
        Files.setLastModifiedTime(dumps.resolve("notes.txt"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        LocalChecks settings = settings(dumps, "verify-query=select count(*) from patients");

        CheckResult result = collector(settings).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("restored clinical-2026-11-25.dump of clinical-db in ")
                .endsWith("and verified 1 file, " + io.rampart.agent.collectors.HumanText.bytes(Files.size(dump)) + " by postgresql-dump");
        assertThat(result.getRestoreTest().getMethod()).isEqualTo("postgresql-dump");
        assertThat(result.getRestoreTest().getSourceCheckId()).isEqualTo("clinical-db");
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("clinical-2026-11-25.dump");
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(Files.size(dump));
        assertThat(result.getRestoreTest().getVerification())
                .isEqualTo("pg_restore --no-owner --no-privileges restored clinical-2026-11-25.dump: 2 tables; verify-query answered 5");
        assertThat(DesiredConfiguration.toDuration(result.getRestoreTest().getRestoreDuration())).isPositive();
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void restoresAPlainGzippedDumpThroughPsql() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path plain = dir.resolve("clinical.sql");
        pgDump("clinical", "-Fp", "-f", plain.toString());
        Path dump = dumps.resolve("clinical-2026-11-25.sql.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dump))) {
            Files.copy(plain, out);
        }

        CheckResult result = collector(settings(dumps)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("clinical-2026-11-25.sql.gz");
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(Files.size(dump));
        assertThat(result.getRestoreTest().getVerification())
                .isEqualTo("psql -v ON_ERROR_STOP=1 restored clinical-2026-11-25.sql.gz: 2 tables");
    }

    @Test
    void restoresAPlainDumpOfTheRealPgDumpWithItsRestrictLineOwnersAndGrants() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path dump = dumps.resolve("clinical-2026-11-25.sql");
        pgDump("clinical", "-Fp", "-f", dump.toString());
        List<String> lines = Files.readAllLines(dump);
        assertThat(lines).anyMatch(line -> line.startsWith("\\restrict ")).anyMatch(line -> line.startsWith("\\unrestrict "))
                .contains("ALTER TABLE public.patients OWNER TO clinic_app;", "GRANT SELECT ON TABLE public.patients TO clinic_reader;");

        CheckResult result = collector(settings(dumps, "verify-query=select count(*) from appointments")).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getVerification())
                .isEqualTo("psql -v ON_ERROR_STOP=1 restored clinical-2026-11-25.sql: 2 tables; verify-query answered 5");
    }

    @Test
    void refusesASuperuserAsTheRestoreRoleWithTheSqlThatCreatesOne() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fc", "-f", dumps.resolve("clinical.dump").toString());
        LocalChecks settings = checks(dir, "check.clinical-db.dump-path=" + dumps,
                "check.monthly-restore.scratch-database=127.0.0.1:" + port, "check.monthly-restore.user=postgres");

        CheckResult result = collector(settings).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("the restore role postgres on the scratch server 127.0.0.1:" + port + " is a superuser, "
                + "so a hostile dump could run programs, read files or drop databases there as it: Rampart never runs what a backup "
                + "contains, and restores only as a role that may create databases and nothing more. As a superuser on 127.0.0.1:" + port
                + " run: CREATE ROLE rampart_restore LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION PASSWORD '<a new password>';"
                + " then set check.monthly-restore.user=rampart_restore and put the password in the file named by "
                + "check.monthly-restore.password-file");
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void refusesARestoreRoleThatMayRunServerProgramsReadServerFilesCreateRolesReplicateOrChangeSettings() throws Exception {
        sql("postgres", "create role lax_restore login createdb createrole replication");
        sql("postgres", "grant pg_execute_server_program, pg_read_server_files to lax_restore");
        sql("postgres", "create role owns_a_database; grant owns_a_database to lax_restore; alter database empty_practice owner to owns_a_database");
        sql("postgres", "grant alter system on parameter archive_command to lax_restore");
        try {
            Path dumps = Files.createDirectories(dir.resolve("dumps"));
            pgDump("clinical", "-Fc", "-f", dumps.resolve("clinical.dump").toString());
            LocalChecks settings = checks(dir, "check.clinical-db.dump-path=" + dumps,
                    "check.monthly-restore.scratch-database=127.0.0.1:" + port, "check.monthly-restore.user=lax_restore");

            CheckResult result = collector(settings).run(restoreTest(Duration.ofMinutes(15)));

            assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
            assertThat(result.getSummary()).startsWith("the restore role lax_restore on the scratch server 127.0.0.1:" + port + " ")
                    .contains("has CREATEROLE", "has REPLICATION", "is a member of pg_execute_server_program", "is a member of pg_read_server_files",
                            "is a member of owns_a_database", "may change the server setting archive_command",
                            "CREATE ROLE rampart_restore LOGIN CREATEDB");
        } finally {
            sql("postgres", "revoke alter system on parameter archive_command from lax_restore");
            sql("postgres", "alter database empty_practice owner to postgres");
            sql("postgres", "drop role owns_a_database");
            sql("postgres", "drop role lax_restore");
        }
    }

    @Test
    void refusesPlainDumpsWhenPsqlCannotRestrictThem() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fp", "-f", dumps.resolve("clinical.sql").toString());
        Path oldPsql = dir.resolve("old-psql");
        Files.writeString(oldPsql, "#!/bin/sh\necho 'psql (PostgreSQL) 15.13'\nexit 0\n");
        oldPsql.toFile().setExecutable(true);

        CheckResult result = collector(settings(dumps, "psql=" + oldPsql)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("psql 15.14, 16.10, 17.6 or later is needed to restore plain dumps safely (this one says "
                + "\"psql (PostgreSQL) 15.13\", set in check.monthly-restore.psql); install a current PostgreSQL client, or make the dumps "
                + "with pg_dump -Fc: Rampart never runs what a backup contains, and older psql versions cannot be stopped from running a "
                + "dump's meta-commands");
    }

    @Test
    void theToolsSeeOnlyTheScratchServersPasswordAndTheScratchFolderNothingOfTheAgentsEnvironment() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fp", "-f", dumps.resolve("clinical.sql").toString());
        Path seen = Files.createDirectories(dir.resolve("seen"));
        Path psql = dir.resolve("recording-psql");
        Files.writeString(psql, "#!/bin/sh\nenv > " + seen + "/env-$$\npwd > " + seen + "/pwd-$$\nexec " + ScratchPostgres.BIN.resolve("psql")
                + " \"$@\"\n");
        psql.toFile().setExecutable(true);
        Path password = Files.writeString(dir.resolve("scratch.pass"), "scratch-only\n");

        CheckResult result = collector(settings(dumps, "psql=" + psql, "password-file=" + password)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        List<Path> environments;
        try (var files = Files.list(seen)) {
            environments = files.filter(f -> f.getFileName().toString().startsWith("env-")).toList();
        }
        assertThat(environments).hasSizeGreaterThanOrEqualTo(4);
        for (Path file : environments) {
            java.util.Map<String, String> variables = new java.util.TreeMap<>();
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    variables.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            // PWD, SHLVL and _ are the recording shell's own
            assertThat(variables.keySet()).isSubsetOf("PATH", "HOME", "TMPDIR", "LC_ALL", "PGCONNECT_TIMEOUT", "PGAPPNAME", "PGPASSWORD",
                    "PGPASSFILE", "PWD", "SHLVL", "_");
            assertThat(variables).containsEntry("PGPASSWORD", "scratch-only").containsEntry("LC_ALL", "C");
            Path home = Path.of(variables.get("HOME"));
            assertThat(home.getParent()).isEqualTo(dir.resolve("agent-home/restore-scratch"));
            assertThat(home.getFileName().toString()).startsWith("restore-monthly-restore-");
            assertThat(variables).containsEntry("TMPDIR", home.toString()).containsEntry("PGPASSFILE", home.resolve("no-pgpass").toString());
            assertThat(Files.readString(seen.resolve(file.getFileName().toString().replace("env-", "pwd-"))).strip()).isEqualTo(home.toString());
        }
    }

    @Test
    void aDumpDatedNextYearIsAClockProblemAndTheNewestHonestDumpIsRestored() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path dump = dumps.resolve("clinical-2026-11-25.dump");
        pgDump("clinical", "-Fc", "-f", dump.toString());
        Path ahead = dumps.resolve("clinical-touched.dump");
        Files.writeString(ahead, "a dump whose date says next year; it must not be chosen\n");
        Files.setLastModifiedTime(ahead, FileTime.from(Instant.now().plus(Duration.ofDays(365))));

        CheckResult result = collector(settings(dumps)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("clinical-2026-11-25.dump");
        assertThat(result.getFutureDatedList()).singleElement().satisfies(item -> assertThat(item.getName()).isEqualTo("clinical-touched.dump"));
        assertThat(result.getSummary()).contains("not restored: clock problem on the backup host: clinical-touched.dump is dated");
    }

    @Test
    void aTruncatedDumpFailsNamingPgRestoreAndTheFile() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path dump = dumps.resolve("clinical-2026-11-25.dump");
        pgDump("clinical", "-Fc", "-f", dump.toString());
        try (FileChannel channel = FileChannel.open(dump, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }

        CheckResult result = collector(settings(dumps)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("pg_restore failed on clinical-2026-11-25.dump: ");
        assertThat(result.getSummary().substring("pg_restore failed on clinical-2026-11-25.dump: ".length())).isNotBlank()
                .doesNotStartWith("exit code");
        assertThat(result.getRestoreTest().getVerification()).isEqualTo(result.getSummary());
    }

    @Test
    void aDumpOfAnEmptyDatabaseFailsBecauseTheRestoredDatabaseHasNoTables() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("empty_practice", "-Fc", "-f", dumps.resolve("empty.backup").toString());

        CheckResult result = collector(settings(dumps)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("restored database has no tables");
    }

    @Test
    void aVerifyQueryAnsweringZeroOrFailingFailsTheRestore() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fc", "-f", dumps.resolve("clinical.dump").toString());

        CheckResult zero = collector(settings(dumps, "verify-query=select count(*) from patients where name = 'nobody'"))
                .run(restoreTest(Duration.ofMinutes(15)));
        CheckResult broken = collector(settings(dumps, "verify-query=select count(*) from no_such_table"))
                .run(restoreTest(Duration.ofMinutes(15)));

        assertThat(zero.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(zero.getSummary()).isEqualTo("the verify-query answered 0 on the restored database (it must be more than 0)");
        assertThat(broken.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(broken.getSummary()).startsWith("the verify-query failed on the restored database: ").contains("no_such_table");
    }

    @Test
    void refusesAPlainDumpMadeWithCreateThatWouldLeaveTheScratchDatabase() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fp", "--create", "--clean", "-f", dumps.resolve("clinical.sql").toString());

        CheckResult result = collector(settings(dumps)).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("clinical.sql cannot be restored into a scratch database: it contains DROP DATABASE clinical;");
        assertThat(sql("clinical", "select count(*) from patients")).isEqualTo("5");
    }

    @Test
    void errorsNamingHostAndPortWhenTheScratchServerIsUnreachable() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fc", "-f", dumps.resolve("clinical.dump").toString());
        int nobody = freePort();
        LocalChecks settings = checks(dir, "check.clinical-db.dump-path=" + dumps,
                "check.monthly-restore.scratch-database=127.0.0.1:" + nobody, "check.monthly-restore.user=postgres");

        CheckResult result = collector(settings).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("scratch server 127.0.0.1:" + nobody + " unreachable: ");
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void errorsNamingThePropertiesWhenNoScratchServerIsSetOrItNamesADatabase() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Files.writeString(dumps.resolve("clinical.sql"), "create table t (i int);\n");

        CheckResult unset = collector(checks(dir, "check.clinical-db.dump-path=" + dumps)).run(restoreTest(Duration.ofMinutes(15)));
        CheckResult named = collector(checks(dir, "check.clinical-db.dump-path=" + dumps,
                "check.monthly-restore.scratch-database=127.0.0.1:" + port + "/clinical")).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(unset.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(unset.getSummary()).contains("set check.monthly-restore.scratch-database=<host:port>");
        assertThat(named.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(named.getSummary()).startsWith("check.monthly-restore.scratch-database must be only host:port");
    }

    @Test
    void failsWhenTheDumpRestoreTakesLongerThanTheDowntimeObjective() throws Exception {
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        pgDump("clinical", "-Fc", "-f", dumps.resolve("clinical.dump").toString());
        AtomicLong now = new AtomicLong();

        CheckResult result = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings(dumps), Clock.systemUTC(),
                () -> now.getAndAdd(Duration.ofMinutes(17).toNanos())).run(restoreTest(Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("restore took 17 min, the downtime objective is 15 min");
        assertThat(result.getRestoreTest().getMethod()).isEqualTo("postgresql-dump");
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("clinical.dump");
    }

    @Test
    void knowsTheRestoreCheckFromTheScratchFolderTheCollectorMade() {
        assertThat(PostgresDumpRestore.restoreCheckId(Path.of("/x/restore-monthly-restore-8812345"))).hasValue("monthly-restore");
        assertThat(PostgresDumpRestore.restoreCheckId(Path.of("/x/elsewhere"))).isEmpty();
    }

    private LocalChecks settings(Path dumps, String... restoreSettings) throws IOException {
        List<String> lines = new ArrayList<>(List.of("check.clinical-db.dump-path=" + dumps,
                "check.monthly-restore.scratch-database=127.0.0.1:" + port, "check.monthly-restore.user=" + ScratchPostgres.RESTORE_ROLE));
        for (String setting : restoreSettings) {
            lines.add("check.monthly-restore." + setting);
        }
        return checks(dir, lines.toArray(String[]::new));
    }

    private RestoreTestCollector collector(LocalChecks settings) {
        return new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.systemUTC());
    }

    private static CheckDefinition restoreTest(Duration objective) {
        return CheckDefinition.newBuilder()
                .setCheckId("monthly-restore")
                .setKind(CheckKind.CHECK_KIND_RESTORE_TEST)
                .setRestoreTest(RestoreTestSettings.newBuilder()
                        .setSourceCheckId("clinical-db")
                        .setMaxRestoreDuration(DesiredConfiguration.toProto(objective)))
                .build();
    }

    private static List<String> scratchDatabases() throws Exception {
        return server.scratchDatabases();
    }

    private static void pgDump(String database, String... arguments) throws Exception {
        server.pgDump(database, arguments);
    }

    private static String sql(String database, String sql) throws Exception {
        return server.sql(database, sql);
    }

    private static int freePort() throws IOException {
        return ScratchPostgres.freePort();
    }
}
