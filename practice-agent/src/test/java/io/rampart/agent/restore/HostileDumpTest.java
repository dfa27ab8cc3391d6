package io.rampart.agent.restore;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * Dumps written by someone who can write to the NAS share, restored by the real psql 15 and pg_restore into a real
 * PostgreSQL 15 ({@link ScratchPostgres}) as the restore role: nothing they ask for runs, no file they would create
 * exists afterwards, and the restore test FAILs saying what the dump tried, naming it.
 *
 * <p>Each hostile dump is a real pg_dump of the clinical database with the hostile lines put in after its SET header.
 * The markers live in a folder every user may write to, and {@link #theServerCouldWriteTheMarkersIfItRanThem} shows
 * that the server's own user could create them there: a missing marker means the command did not run.
 */
class HostileDumpTest {

    private static ScratchPostgres server;
    private static Path markers;
    private static List<String> pgDumpLines;

    @TempDir
    Path dir;

    @BeforeAll
    static void startScratchServerAndDumpTheClinicalDatabase() throws Exception {
        Assumptions.assumeTrue(ScratchPostgres.installed(), "PostgreSQL 15 server binaries are not installed");
        server = ScratchPostgres.start();
        markers = Files.createTempDirectory("rampart-hostile-markers");
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path plain = markers.resolve("clinical.sql");
        server.pgDump("clinical", "-Fp", "-f", plain.toString());
        pgDumpLines = Files.readAllLines(plain, StandardCharsets.UTF_8);
        Files.delete(plain);
        assertThat(pgDumpLines).anyMatch(line -> line.startsWith("\\restrict ")).contains("SET row_security = off;");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (markers != null) {
            try (Stream<Path> all = Files.walk(markers)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void leavesNoScratchDatabaseNoServerSettingAndTheOtherDatabases() throws Exception {
        assertThat(server.scratchDatabases()).isEmpty();
        assertThat(server.sql("postgres", "select string_agg(datname, ',' order by datname) from pg_database"))
                .isEqualTo("clinical,empty_practice,postgres,template0,template1");
        assertThat(Files.readString(server.base.resolve("data/postgresql.auto.conf"))).doesNotContain(markers.toString());
        assertThat(server.sql("clinical", "select count(*) from patients")).isEqualTo("5");
    }

    @Test
    void theServerCouldWriteTheMarkersIfItRanThem() throws Exception {
        Path control = markers.resolve("control");

        // the program reads what COPY writes to it: a bare touch may exit before PostgreSQL has written its row,
        // and then the server fails the statement with "could not close pipe to external command: Broken pipe"
        server.sql("postgres", "copy (select 1) to program 'touch " + control + "; cat > /dev/null'");

        assertThat(control).exists();
        Files.delete(control);
    }

    static Stream<Arguments> hostileLines() {
        return Stream.of(
                meta("a backquoted shell command in \\set", "\\set x `touch {marker}`", "\\set"),
                meta("\\! after a leading space", " \\! touch {marker}", "\\!"),
                meta("\\! in the middle of an SQL line", "select 1 \\! touch {marker}", "\\!"),
                meta("\\o into a pipe", "\\o |touch {marker}", "\\o"),
                meta("\\g into a pipe", "select 1 \\g |touch {marker}", "\\g"),
                meta("\\copy to a program", "\\copy (select 1) to program 'touch {marker}'", "\\copy"),
                meta("\\i of another file", "\\i /etc/passwd", "\\i"),
                meta("\\gexec of generated statements", "select 'copy (select 1) to program ''touch {marker}''' \\gexec", "\\gexec"),
                meta("\\setenv", "\\setenv PAGER 'touch {marker}'", "\\setenv"),
                meta("a guessed \\unrestrict then \\!", "\\unrestrict guessedkey\n\\! touch {marker}", "\\!", 1),
                meta("a guessed \\unrestrict after a statement", "select 1 \\unrestrict guessedkey\n\\! touch {marker}", "\\unrestrict"),
                server("COPY ... TO PROGRAM", "COPY (SELECT 1) TO PROGRAM 'touch {marker}';",
                        "tried to run a program on the database server (COPY ... PROGRAM)"),
                server("COPY ... FROM PROGRAM", "CREATE TABLE public.pwn (t text);\nCOPY public.pwn FROM PROGRAM 'touch {marker}';",
                        "tried to run a program on the database server (COPY ... PROGRAM)", 1),
                server("COPY ... TO a server file", "COPY (SELECT 1) TO '{marker}';", "tried to write a file on the database server (COPY ... TO a file)"),
                server("COPY ... FROM a server file", "CREATE TABLE public.pwn (t text);\nCOPY public.pwn FROM '/etc/passwd';",
                        "tried to read a file on the database server (COPY ... FROM a file)", 1),
                server("pg_read_file", "SELECT pg_read_file('/etc/passwd');",
                        "tried to read or write files on the database server (pg_read_file)"),
                server("lo_import", "SELECT lo_import('/etc/passwd');", "tried to read or write files on the database server (lo_import)"),
                server("lo_export", "SELECT lo_export(1, '{marker}');", "tried to read or write files on the database server (lo_export)"),
                server("a function in language C", "CREATE FUNCTION public.pwn() RETURNS int AS '/bin/true', 'main' LANGUAGE c;",
                        "tried to create a function in the untrusted language c"),
                server("CREATE EXTENSION dblink", "CREATE EXTENSION dblink SCHEMA public;", "tried to install the extension dblink"),
                server("ALTER SYSTEM", "ALTER SYSTEM SET archive_command = 'touch {marker}';", "tried to change the server setting archive_command"),
                server("SET ROLE", "SET ROLE postgres;", "tried to become the role postgres"),
                server("SET SESSION AUTHORIZATION after a statement", "SELECT 1; SET SESSION AUTHORIZATION postgres;",
                        "tried to become the role postgres"),
                server("LOAD", "LOAD '/tmp/pwn.so';", "tried to load the library /tmp/pwn.so into the server"),
                server("DROP DATABASE of another database", "SELECT 1; DROP DATABASE clinical;", "tried to change or drop the database clinical"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileLines")
    void aPlainDumpThatTriesToRunSomethingFailsNamingItAndRunsNothing(String kind, String hostile, String expected, int lineWithin,
            boolean metaCommand) throws Exception {
        Path marker = markers.resolve("pwned-" + kind.replaceAll("[^A-Za-z]+", "-"));
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        int line = writeHostileDump(dumps.resolve("clinical.sql"), hostile.replace("{marker}", marker.toString())) + lineWithin;

        CheckResult result = collector(settings(dumps)).run(restoreTest());

        assertThat(marker).doesNotExist();
        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        if (metaCommand) {
            assertThat(result.getSummary()).isEqualTo("clinical.sql tried to run a psql meta-command (" + expected + ") on line " + line
                    + ": Rampart never runs what a backup contains, so psql refused it and the restore stopped there (pg_dump writes no "
                    + "such command: find out who can write to the dump folder)");
        } else {
            assertThat(result.getSummary()).startsWith("clinical.sql " + expected + " on line " + line + ", which the restore role may not "
                    + "(the server said: ").endsWith("): Rampart never runs what a backup contains").doesNotContain("said: line");
        }
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("clinical.sql");
    }

    @Test
    void aGzippedPlainDumpIsRestrictedToo() throws Exception {
        Path marker = markers.resolve("pwned-gz");
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path plain = dir.resolve("clinical.sql");
        int line = writeHostileDump(plain, "\\set x `touch " + marker + "`");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dumps.resolve("clinical.sql.gz")))) {
            Files.copy(plain, out);
        }

        CheckResult result = collector(settings(dumps)).run(restoreTest());

        assertThat(marker).doesNotExist();
        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("clinical.sql.gz tried to run a psql meta-command (\\set) on line " + line + ": ");
    }

    @Test
    void aGzippedDumpCutOffInItsDataFailsInsteadOfPassingWithWhatWasRead() throws Exception {
        server.sql("postgres", "create database big");
        server.sql("big", "create table notes (id int, note text); insert into notes select g, md5(g::text) from generate_series(1, 50000) g");
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path plain = dir.resolve("big.sql");
        server.pgDump("big", "-Fp", "-f", plain.toString());
        server.sql("postgres", "drop database big");
        Path gz = dir.resolve("big.sql.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        byte[] whole = Files.readAllBytes(gz);
        Files.write(dumps.resolve("big.sql.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));

        CheckResult result = collector(settings(dumps)).run(restoreTest());

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("big.sql.gz could not be read to its end (EOFException: Unexpected end of ZLIB input "
                + "stream): the dump is damaged, and what psql restored of it is not the whole database");
    }

    @Test
    void aCustomFormatDumpWithCopyToProgramInItsDefinitionsFailsAndRunsNothing() throws Exception {
        Path marker = markers.resolve("pwned-custom");
        server.sql("postgres", "create database commented");
        String comment = "x".repeat(200);
        server.sql("commented", "create table notes (id int); insert into notes values (1); comment on table notes is '" + comment + "'");
        Path dumps = Files.createDirectories(dir.resolve("dumps"));
        Path dump = dumps.resolve("clinical-hostile.dump");
        server.pgDump("commented", "-Fc", "-f", dump.toString());
        server.sql("postgres", "drop database commented");
        // the definitions of a custom-format archive are stored as plain text: swap the comment for a same-length COPY
        String original = "COMMENT ON TABLE public.notes IS '" + comment + "';";
        String hostile = "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "';";
        byte[] bytes = Files.readAllBytes(dump);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(original);
        Files.write(dump, text.replace(original, hostile + " ".repeat(original.length() - hostile.length()))
                .getBytes(StandardCharsets.ISO_8859_1));

        CheckResult result = collector(settings(dumps)).run(restoreTest());

        assertThat(marker).doesNotExist();
        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("clinical-hostile.dump tried to run a program on the database server (COPY ... PROGRAM), "
                + "which the restore role may not (the server said: ").endsWith("): Rampart never runs what a backup contains");
    }

    /** The real pg_dump, with {@code hostile} put in after its SET header; returns the first hostile line's number. */
    private static int writeHostileDump(Path file, String hostile) throws Exception {
        List<String> lines = new ArrayList<>(pgDumpLines);
        int after = lines.indexOf("SET row_security = off;") + 1;
        lines.addAll(after, List.of(hostile.split("\n")));
        Files.write(file, lines, StandardCharsets.UTF_8);
        return after + 1;
    }

    private static Arguments meta(String kind, String hostile, String command) {
        return meta(kind, hostile, command, 0);
    }

    private static Arguments meta(String kind, String hostile, String command, int lineWithin) {
        return Arguments.of(kind, hostile, command, lineWithin, true);
    }

    private static Arguments server(String kind, String hostile, String expected) {
        return server(kind, hostile, expected, 0);
    }

    private static Arguments server(String kind, String hostile, String expected, int lineWithin) {
        return Arguments.of(kind, hostile, expected, lineWithin, false);
    }

    private LocalChecks settings(Path dumps) throws Exception {
        return checks(dir, "check.clinical-db.dump-path=" + dumps, "check.monthly-restore.scratch-database=127.0.0.1:" + server.port,
                "check.monthly-restore.user=" + ScratchPostgres.RESTORE_ROLE);
    }

    private RestoreTestCollector collector(LocalChecks settings) {
        return new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.systemUTC());
    }

    private static CheckDefinition restoreTest() {
        return CheckDefinition.newBuilder()
                .setCheckId("monthly-restore")
                .setKind(CheckKind.CHECK_KIND_RESTORE_TEST)
                .setRestoreTest(RestoreTestSettings.newBuilder()
                        .setSourceCheckId("clinical-db")
                        .setMaxRestoreDuration(DesiredConfiguration.toProto(Duration.ofMinutes(15))))
                .build();
    }
}
