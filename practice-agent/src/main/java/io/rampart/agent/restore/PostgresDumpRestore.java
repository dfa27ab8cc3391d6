package io.rampart.agent.restore;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rampart.agent.collectors.ExternalCommand;
import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.config.LocalChecks;

/**
 * For a source check with {@code check.<source>.dump-path} (a folder of pg_dump files: custom format
 * {@code .dump}/{@code .backup}, plain {@code .sql}/{@code .sql.gz}): restores the newest dump into a new, uniquely
 * named database {@code rampart_restore_<random>} on a scratch PostgreSQL server, runs an integrity query on it and
 * drops that database again, whatever happened.
 *
 * <p>Settings of the restore-test check ({@code check.<restore-id>.*}):
 * {@code scratch-database=host:port} (required; no database name: the agent always makes up its own), {@code user}
 * (a role that may create databases and nothing more, see {@link RestoreRole}), {@code password-file} (a one-line
 * password, or a pgpass file, for the scratch server only; handed over as PGPASSWORD/PGPASSFILE, never on a command
 * line or in a log), {@code maintenance-database} (where the agent connects to create and drop the scratch database,
 * default postgres), {@code verify-query} (run on the restored database after the table count; a numeric answer must
 * be &gt; 0), {@code timeout} (for the whole restore, "90 min", "6h" or seconds; default 6 h), {@code psql} and
 * {@code pg-restore} (default on the PATH).
 *
 * <p>A dump is untrusted input (anyone who can write to the NAS share can write one), so a restore never runs what it
 * contains:
 * <ul>
 * <li>client side, plain dumps go to {@code psql -X -f -} on standard input under psql's own {@code \restrict} with a
 * key the dump cannot know ({@link RestrictedScript}): no meta-command ({@code \!}, backquotes, {@code \o |cmd},
 * {@code \copy ... program}, {@code \i}...) can run, wherever it stands on a line. A psql without {@code \restrict}
 * (before 15.14, 16.10, 17.6) is refused for plain dumps. Custom-format dumps go through
 * {@code pg_restore --no-owner --no-privileges --exit-on-error}, which runs no client-side commands;</li>
 * <li>server side, the restore role is checked in the fresh scratch database before the dump is opened: not a
 * superuser, no CREATEROLE, no membership in pg_execute_server_program, pg_read_server_files, pg_write_server_files or
 * any other role ({@link RestoreRole}); COPY ... PROGRAM, server files, untrusted languages and the like are then
 * refused by the server itself, and the result is a FAIL saying what the dump tried ({@link DumpRefusals});</li>
 * <li>the tools get none of the agent's secrets: a bare environment, the scratch folder as home and working folder, and
 * only the scratch server's password ({@link ScratchServer}).</li>
 * </ul>
 * What remains: psql and pg_restore run as the agent's own operating system user, so a flaw in psql's lexer or in
 * libpq would act with the agent's rights (running them as another user is not possible from the installed service:
 * its unit has NoNewPrivileges and no capabilities, so it cannot switch users); and a dump can use what its role may
 * do in its own database (fill the server's disk, run long queries up to {@code timeout}, ALTER ROLE its own
 * settings or password, which the next restore would then report).
 *
 * <p>A plain dump made with {@code pg_dump --create} or by {@code pg_dumpall} is refused before anything runs, with
 * how to make one Rampart can test ({@link PlainDumpScreen}).
 */
public final class PostgresDumpRestore implements RestoreMethod {

    public static final String DUMP_PATH = "dump-path";
    public static final String SCRATCH_DATABASE = "scratch-database";
    public static final String USER_TABLES_QUERY =
            "select count(*) from information_schema.tables where table_schema not in ('pg_catalog','information_schema')";
    static final String NAME_PREFIX = "rampart_restore_";

    private static final Logger LOG = Logger.getLogger(PostgresDumpRestore.class.getName());
    /** The scratch folder the collector makes: "restore-" + restore check id + "-" + random digits. */
    private static final Pattern SCRATCH_FOLDER = Pattern.compile("restore-(.+)-\\d+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public PostgresDumpRestore() {
        this(Clock.systemUTC());
    }

    /** @param clock this computer's clock: a dump dated later than it (a clock problem) is never the one restored */
    public PostgresDumpRestore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "postgresql-dump";
    }

    @Override
    public boolean supports(LocalChecks settings, String sourceCheckId) {
        return settings.setting(sourceCheckId, DUMP_PATH).isPresent();
    }

    @Override
    public Optional<Path> sourceLocation(LocalChecks settings, String sourceCheckId) {
        return settings.setting(sourceCheckId, DUMP_PATH).map(Path::of);
    }

    @Override
    public Restored restore(LocalChecks settings, String sourceCheckId, Path scratch) throws RestoreProblem {
        String restoreId = restoreCheckId(scratch).orElse(sourceCheckId);
        ScratchServer server = ScratchServer.configured(settings, restoreId, scratch);
        String dumpProperty = LocalChecks.propertyFor(sourceCheckId, DUMP_PATH);
        Path folder = settings.setting(sourceCheckId, DUMP_PATH).map(Path::of).orElseThrow();
        if (!Files.isDirectory(folder)) {
            throw new RestoreProblem("the dump folder set in " + dumpProperty + " does not exist or is not a folder (is the drive or share connected?)");
        }
        DumpChoice dump;
        try {
            dump = DumpChoice.newest(folder, clock.instant());
            if (dump.dump().isEmpty()) {
                return Restored.failed("nothing", 0, 0, "", "no pg_dump file (.dump, .backup, .sql, .sql.gz) to restore in the folder set in "
                        + dumpProperty).withFutureDated(dump.passedOver());
            }
            if (dump.format().plain()) {
                Optional<String> unsafe = PlainDumpScreen.leavesTheScratchDatabase(dump);
                if (unsafe.isPresent()) {
                    throw new RestoreProblem(dump.fileName() + " cannot be restored into a scratch database: it " + unsafe.get()
                            + " (made with pg_dump --create or pg_dumpall?); dump the database without --create");
                }
                String version = server.psqlVersion();
                if (!RestrictedScript.supported(version)) {
                    throw new RestoreProblem("psql 15.14, 16.10, 17.6 or later is needed to restore plain dumps safely (this one says \""
                            + PlainDumpScreen.shorten(version.isEmpty() ? "nothing" : version) + "\", set in "
                            + LocalChecks.propertyFor(restoreId, "psql") + "); install a current PostgreSQL client, or make the dumps with "
                            + "pg_dump -Fc: " + DumpRefusals.NEVER_RUNS + ", and older psql versions cannot be stopped from running a dump's "
                            + "meta-commands");
                }
            }
        } catch (IOException e) {
            throw new RestoreProblem("the newest dump in the folder set in " + dumpProperty + " cannot be read: " + e.getClass().getSimpleName());
        }

        String database = NAME_PREFIX + HexFormat.of().formatHex(randomBytes());
        server.createDatabase(database);
        Restored restored = null;
        RestoreProblem problem = null;
        RuntimeException crash = null;
        try {
            RestoreRole.check(server, database);
            restored = restoreAndVerify(server, database, dump);
        } catch (RestoreProblem e) {
            problem = e;
        } catch (RuntimeException e) {
            crash = e;
        } finally {
            Optional<String> notDropped = server.dropDatabase(database);
            if (notDropped.isPresent()) {
                String leftover = "the scratch database " + database + " could not be dropped from " + server + " (" + notDropped.get()
                        + "): drop it by hand";
                LOG.warning(leftover);
                if (problem != null) {
                    problem = new RestoreProblem(problem.getMessage() + "; " + leftover);
                } else if (restored != null) {
                    restored = Restored.failed(restored.item(), restored.filesVerified(), restored.bytesVerified(),
                            restored.verification(), restored.failure().map(f -> f + "; ").orElse("") + leftover);
                }
            }
        }
        if (crash != null) {
            throw crash;
        }
        if (problem != null) {
            throw problem;
        }
        return restored.withFutureDated(dump.passedOver());
    }

    private static Restored restoreAndVerify(ScratchServer server, String database, DumpChoice dump) throws RestoreProblem {
        String item = dump.item();
        String fileName = dump.fileName();
        String how;
        ToolRun run;
        // psql reads one line of Rampart's (the \restrict) before the dump
        long lineOffset = dump.format().plain() ? 1 : 0;
        if (dump.format().plain()) {
            how = "psql -v ON_ERROR_STOP=1";
            RestrictedScript script = new RestrictedScript();
            run = server.run(server.psql, List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"),
                    stdin -> script.feed(dump, stdin), server.timeout);
        } else {
            how = "pg_restore --no-owner --no-privileges";
            run = server.run(server.pgRestore, List.of("--no-owner", "--no-privileges", "--exit-on-error", "-d", database,
                    dump.dump().orElseThrow().toString()), null, server.timeout);
        }
        String tool = dump.format().plain() ? "psql" : "pg_restore";
        if (run.timedOut()) {
            return Restored.failed(item, 0, 0, how, tool + " on " + fileName + " did not finish within " + HumanText.duration(server.timeout));
        }
        if (run.exitCode() != 0) {
            Optional<RestrictedScript.Refused> refused = dump.format().plain() ? RestrictedScript.refused(run.stderr(), dump) : Optional.empty();
            if (refused.isPresent()) {
                return Restored.failed(item, 0, 0, how, DumpRefusals.metaCommand(fileName, refused.get()));
            }
            Optional<String> serverRefused = DumpRefusals.serverRefusal(fileName, run.stderr(), lineOffset);
            if (serverRefused.isPresent()) {
                return Restored.failed(item, 0, 0, how, serverRefused.get());
            }
            return Restored.failed(item, 0, 0, how, tool + " failed on " + fileName + ": " + firstError(run.stderr(), run.exitCode())
                    .replaceFirst("^line (\\d+): ", "")
                    .transform(reason -> psqlLine(run.stderr(), lineOffset).map(line -> "line " + line + ": ").orElse("") + reason));
        }
        if (run.feedFailure().isPresent()) {
            return Restored.failed(item, 0, 0, how, fileName + " could not be read to its end (" + run.feedFailure().get()
                    + "): the dump is damaged, and what psql restored of it is not the whole database");
        }
        String tables = server.query(database, USER_TABLES_QUERY, "count the restored tables").stream().findFirst()
                .orElseThrow(() -> new RestoreProblem("the scratch server " + server + " did not answer the table count"));
        long tableCount;
        try {
            tableCount = Long.parseLong(tables.strip());
        } catch (NumberFormatException e) {
            return Restored.failed(item, 0, 0, how, "the table count of the restored database answered " + PlainDumpScreen.shorten(tables));
        }
        if (tableCount <= 0) {
            return Restored.failed(item, 0, 0, how, "restored database has no tables");
        }
        String verification = how + " restored " + fileName + ": " + tableCount + (tableCount == 1 ? " table" : " tables");
        if (server.verifyQuery.isPresent()) {
            ToolRun answer = server.psql(database, server.verifyQuery.get(), server.timeout);
            if (answer.timedOut()) {
                return Restored.failed(item, 0, 0, verification, "the verify-query did not finish within " + HumanText.duration(server.timeout));
            }
            if (answer.exitCode() != 0) {
                return Restored.failed(item, 0, 0, verification, "the verify-query failed on the restored database: "
                        + firstError(answer.stderr(), answer.exitCode()));
            }
            String first = PlainDumpScreen.shorten(answer.stdout().strip().lines().findFirst().orElse(""));
            verification += "; verify-query answered " + (first.isEmpty() ? "nothing" : first);
            if (!positive(first)) {
                return Restored.failed(item, 0, 0, verification, "the verify-query answered " + (first.isEmpty() ? "nothing" : first)
                        + " on the restored database (it must be more than 0)");
            }
        }
        return Restored.verified(item, 1, dump.size(), verification);
    }

    /** The dump's line psql complained about: psql's line number less the lines Rampart put before the dump. */
    private static Optional<Long> psqlLine(String stderr, long offset) {
        Matcher m = Pattern.compile("(?m)^psql:<stdin>:(\\d+): (?:ERROR|FATAL|error):").matcher(stderr);
        return m.find() ? Optional.of(Long.parseLong(m.group(1)) - offset) : Optional.empty();
    }

    /** A number must be &gt; 0, a boolean true; other text counts as an answer. */
    private static boolean positive(String answer) {
        if (answer.isEmpty() || answer.equalsIgnoreCase("f") || answer.equalsIgnoreCase("false")) {
            return false;
        }
        try {
            return new BigDecimal(answer).signum() > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The restore-test check's id, from the scratch folder the collector made for this run. */
    static Optional<String> restoreCheckId(Path scratch) {
        Path name = scratch.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = SCRATCH_FOLDER.matcher(name.toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The first line of a tool's complaint, without the tool's own prefixes. */
    static String firstError(String stderr, int exitCode) {
        List<String> lines = ExternalCommand.meaningfulLines(stderr, null);
        String line = lines.stream().filter(l -> l.contains("error:") || l.contains("ERROR:") || l.contains("FATAL:"))
                .findFirst().orElse(lines.stream().findFirst().orElse("exit code " + exitCode));
        line = line.replaceFirst("^pg_restore: (error: )?", "").replaceFirst("^psql: (error: )?", "")
                .replaceFirst("^psql:.*?:(\\d+): (ERROR|FATAL|error):\\s+", "line $1: ").replaceFirst("^(ERROR|FATAL):\\s+", "")
                .replaceFirst("^could not execute query: (ERROR: )?\\s*", "");
        return PlainDumpScreen.shorten(line);
    }
}
