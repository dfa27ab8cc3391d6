package io.rampart.agent.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import io.rampart.agent.collectors.ExternalCommand;
import io.rampart.agent.collectors.FutureDates;
import io.rampart.agent.collectors.database.PostgresPassword;
import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * For a source check with {@code check.<source>.dump-path} (a folder of pg_dump files: custom format
 * {@code .dump}/{@code .backup}, plain {@code .sql}/{@code .sql.gz}): restores the newest dump into a new, uniquely
 * named database {@code rampart_restore_<random>} on a scratch PostgreSQL server, runs an integrity query on it and
 * drops that database again, whatever happened.
 *
 * <p>Settings of the restore-test check ({@code check.<restore-id>.*}):
 * {@code scratch-database=host:port} (required; a server where {@code user} may create databases; no database name:
 * the agent always makes up its own), {@code user}, {@code password-file} (a one-line password, or a pgpass file;
 * handed over as PGPASSWORD/PGPASSFILE, never on a command line or in a log), {@code maintenance-database} (where
 * the agent connects to create and drop the scratch database, default postgres), {@code verify-query} (run on the
 * restored database after the table count; a numeric answer must be &gt; 0), {@code timeout} (for the whole restore,
 * "90 min", "6h" or seconds; default 6 h), {@code psql} and {@code pg-restore} (default on the PATH).
 *
 * <p>Custom-format dumps go through {@code pg_restore --no-owner --no-privileges --exit-on-error}; plain ones through
 * {@code psql -v ON_ERROR_STOP=1}, gunzipped on the fly. A plain dump that would leave the scratch database
 * ({@code \connect}, CREATE/DROP DATABASE, roles, shell escapes, i.e. one made with {@code pg_dump --create} or
 * {@code pg_dumpall}) is refused before anything runs.
 */
public final class PostgresDumpRestore implements RestoreMethod {

    public static final String DUMP_PATH = "dump-path";
    public static final String SCRATCH_DATABASE = "scratch-database";
    public static final String USER_TABLES_QUERY =
            "select count(*) from information_schema.tables where table_schema not in ('pg_catalog','information_schema')";
    static final String NAME_PREFIX = "rampart_restore_";

    private static final Logger LOG = Logger.getLogger(PostgresDumpRestore.class.getName());
    private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
    private static final Duration SHORT_TIMEOUT = Duration.ofMinutes(2);
    /** The scratch folder the collector makes: "restore-" + restore check id + "-" + random digits. */
    private static final Pattern SCRATCH_FOLDER = Pattern.compile("restore-(.+)-\\d+");
    private static final Pattern COPY_FROM_STDIN = Pattern.compile("(?i)^COPY\\s.*\\sFROM\\s+stdin;\\s*$");
    private static final Pattern LEAVES_DATABASE = Pattern.compile(
            "(?i)^\\s*(CREATE|DROP|ALTER)\\s+(DATABASE|ROLE|USER|TABLESPACE)\\b.*");
    /** psql meta-commands pg_dump itself writes into plain dumps; any other one is refused. */
    private static final Set<String> HARMLESS_META = Set.of("restrict", "unrestrict", "set", "unset", "encoding");
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
        Path dump;
        long size;
        Format format;
        List<FutureDatedItem> passedOver = new ArrayList<>();
        try {
            Instant now = clock.instant();
            List<Path> future = new ArrayList<>();
            Optional<Path> newest = FolderCopy.newestFile(folder, PostgresDumpRestore::isDump, at -> FutureDates.isFuture(at, now), future);
            for (Path file : future) {
                passedOver.add(FutureDates.item(folder.relativize(file).toString().replace('\\', '/'), Files.getLastModifiedTime(file).toInstant(),
                        now));
            }
            if (newest.isEmpty()) {
                return Restored.failed("nothing", 0, 0, "", "no pg_dump file (.dump, .backup, .sql, .sql.gz) to restore in the folder set in "
                        + dumpProperty).withFutureDated(passedOver);
            }
            dump = newest.get();
            size = Files.size(dump);
            format = Format.of(dump);
            if (format != Format.CUSTOM) {
                Optional<String> unsafe = leavesTheScratchDatabase(dump, format == Format.PLAIN_GZ);
                if (unsafe.isPresent()) {
                    throw new RestoreProblem(dump.getFileName() + " cannot be restored into a scratch database: it " + unsafe.get()
                            + " (made with pg_dump --create or pg_dumpall?); dump the database without --create");
                }
            }
        } catch (IOException e) {
            throw new RestoreProblem("the newest dump in the folder set in " + dumpProperty + " cannot be read: " + e.getClass().getSimpleName());
        }
        String item = folder.relativize(dump).toString().replace('\\', '/');
        String fileName = dump.getFileName().toString();

        String database = NAME_PREFIX + HexFormat.of().formatHex(randomBytes());
        server.createDatabase(database);
        Restored restored = null;
        RestoreProblem problem = null;
        RuntimeException crash = null;
        try {
            restored = restoreAndVerify(server, database, dump, fileName, item, size, format);
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
        return restored.withFutureDated(passedOver);
    }

    private static Restored restoreAndVerify(ScratchServer server, String database, Path dump, String fileName, String item, long size,
            Format format) throws RestoreProblem {
        String how;
        Run run;
        if (format == Format.CUSTOM) {
            how = "pg_restore --no-owner --no-privileges";
            run = server.run(server.pgRestore, List.of("--no-owner", "--no-privileges", "--exit-on-error", "-d", database, dump.toString()),
                    null, server.timeout);
        } else {
            how = "psql -v ON_ERROR_STOP=1";
            run = server.run(server.psql, List.of("-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-f",
                    format == Format.PLAIN_GZ ? "-" : dump.toString()), format == Format.PLAIN_GZ ? dump : null, server.timeout);
        }
        String tool = format == Format.CUSTOM ? "pg_restore" : "psql";
        if (run.timedOut) {
            return Restored.failed(item, 0, 0, how, tool + " on " + fileName + " did not finish within " + HumanText.duration(server.timeout));
        }
        if (run.exitCode != 0) {
            return Restored.failed(item, 0, 0, how, tool + " failed on " + fileName + ": " + firstError(run.stderr, run.exitCode));
        }
        String tables = server.query(database, USER_TABLES_QUERY)
                .orElseThrow(() -> new RestoreProblem("the scratch server " + server + " did not answer the table count"));
        long tableCount;
        try {
            tableCount = Long.parseLong(tables.strip());
        } catch (NumberFormatException e) {
            return Restored.failed(item, 0, 0, how, "the table count of the restored database answered " + shorten(tables));
        }
        if (tableCount <= 0) {
            return Restored.failed(item, 0, 0, how, "restored database has no tables");
        }
        String verification = how + " restored " + fileName + ": " + tableCount + (tableCount == 1 ? " table" : " tables");
        if (server.verifyQuery.isPresent()) {
            Run answer = server.run(server.psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c",
                    server.verifyQuery.get()), null, server.timeout);
            if (answer.timedOut) {
                return Restored.failed(item, 0, 0, verification, "the verify-query did not finish within " + HumanText.duration(server.timeout));
            }
            if (answer.exitCode != 0) {
                return Restored.failed(item, 0, 0, verification, "the verify-query failed on the restored database: "
                        + firstError(answer.stderr, answer.exitCode));
            }
            String first = shorten(answer.stdout.strip().lines().findFirst().orElse(""));
            verification += "; verify-query answered " + (first.isEmpty() ? "nothing" : first);
            if (!positive(first)) {
                return Restored.failed(item, 0, 0, verification, "the verify-query answered " + (first.isEmpty() ? "nothing" : first)
                        + " on the restored database (it must be more than 0)");
            }
        }
        return Restored.verified(item, 1, size, verification);
    }

    /** A number must be &gt; 0, a boolean true; other text counts as an answer. */
    private static boolean positive(String answer) {
        if (answer.isEmpty() || answer.equalsIgnoreCase("f") || answer.equalsIgnoreCase("false")) {
            return false;
        }
        try {
            return new java.math.BigDecimal(answer).signum() > 0;
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

    enum Format {
        CUSTOM, PLAIN, PLAIN_GZ;

        static Format of(Path dump) throws IOException {
            byte[] head = new byte[5];
            int read;
            try (InputStream in = Files.newInputStream(dump)) {
                read = in.readNBytes(head, 0, head.length);
            }
            if (read == 5 && new String(head, StandardCharsets.US_ASCII).equals("PGDMP")) {
                return CUSTOM;
            }
            if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return PLAIN_GZ;
            }
            String lower = dump.getFileName().toString().toLowerCase(Locale.ROOT);
            // .dump/.backup that is not PGDMP: a tar-format archive, or a damaged one; pg_restore says which
            return lower.endsWith(".sql") ? PLAIN : lower.endsWith(".sql.gz") ? PLAIN_GZ : CUSTOM;
        }
    }

    static boolean isDump(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return lower.endsWith(".dump") || lower.endsWith(".backup") || lower.endsWith(".sql") || lower.endsWith(".sql.gz");
    }

    /**
     * What in a plain dump would act outside the scratch database (another database, roles, the shell), or empty.
     * COPY data blocks are skipped; a damaged gzip stream is left for psql to report.
     */
    static Optional<String> leavesTheScratchDatabase(Path dump, boolean gzipped) throws IOException {
        try (InputStream raw = Files.newInputStream(dump);
                InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            boolean inCopy = false;
            long number = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                number++;
                if (inCopy) {
                    inCopy = !line.equals("\\.");
                    continue;
                }
                if (COPY_FROM_STDIN.matcher(line).matches()) {
                    inCopy = true;
                } else if (line.startsWith("\\")) {
                    String meta = line.substring(1).split("\\s", 2)[0];
                    if (!HARMLESS_META.contains(meta)) {
                        return Optional.of("runs the psql command \\" + meta + " (line " + number + ")");
                    }
                } else if (LEAVES_DATABASE.matcher(line).matches()) {
                    return Optional.of("contains " + shorten(line.strip()) + " (line " + number + ")");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // damaged compression: psql will fail on it, and that is the finding
        }
        return Optional.empty();
    }

    /** The first line of a tool's complaint, without the tool's own prefixes. */
    static String firstError(String stderr, int exitCode) {
        List<String> lines = ExternalCommand.meaningfulLines(stderr, null);
        String line = lines.stream().filter(l -> l.contains("error:") || l.contains("ERROR:") || l.contains("FATAL:"))
                .findFirst().orElse(lines.stream().findFirst().orElse("exit code " + exitCode));
        line = line.replaceFirst("^pg_restore: (error: )?", "").replaceFirst("^psql: (error: )?", "")
                .replaceFirst("^psql:.*?:(\\d+): (ERROR|FATAL):\\s+", "line $1: ").replaceFirst("^(ERROR|FATAL):\\s+", "");
        return shorten(line);
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private record Run(int exitCode, String stdout, String stderr, boolean timedOut) {
    }

    /** The scratch PostgreSQL server and how the agent logs in there. */
    private static final class ScratchServer {
        private final String host;
        private final int port;
        private final String maintenanceDatabase;
        private final Optional<String> user;
        private final Optional<Path> passwordFile;
        private final Optional<String> verifyQuery;
        private final String psql;
        private final String pgRestore;
        private final Duration timeout;
        private final Path scratch;

        private ScratchServer(String host, int port, String maintenanceDatabase, Optional<String> user, Optional<Path> passwordFile,
                Optional<String> verifyQuery, String psql, String pgRestore, Duration timeout, Path scratch) {
            this.host = host;
            this.port = port;
            this.maintenanceDatabase = maintenanceDatabase;
            this.user = user;
            this.passwordFile = passwordFile;
            this.verifyQuery = verifyQuery;
            this.psql = psql;
            this.pgRestore = pgRestore;
            this.timeout = timeout;
            this.scratch = scratch;
        }

        static ScratchServer configured(LocalChecks settings, String checkId, Path scratch) throws RestoreProblem {
            String property = LocalChecks.propertyFor(checkId, SCRATCH_DATABASE);
            String text = settings.setting(checkId, SCRATCH_DATABASE).orElseThrow(() -> new RestoreProblem(
                    "restoring a PostgreSQL dump needs a scratch database server: set " + property
                            + "=<host:port> (a server where the agent's user may create databases) in checks.properties"))
                    .strip();
            if (text.contains("/") || text.contains("=") || text.contains(" ")) {
                throw new RestoreProblem(property + " must be only host:port: the agent makes up the scratch database's name itself ("
                        + NAME_PREFIX + "<random>) so that it can never be an existing database");
            }
            String host = text;
            int port = 5432;
            String portText = "";
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                host = close > 0 ? text.substring(1, close) : "";
                String rest = close > 0 ? text.substring(close + 1) : "";
                portText = rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? "" : "x";
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                portText = text.substring(text.indexOf(':') + 1);
            }
            try {
                port = portText.isEmpty() ? 5432 : Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port <= 0 || port > 65535) {
                throw new RestoreProblem(property + "=" + text + " is not host:port");
            }
            String timeoutProperty = LocalChecks.propertyFor(checkId, "timeout");
            Duration timeout = DEFAULT_TIMEOUT;
            Optional<String> timeoutText = settings.setting(checkId, "timeout");
            if (timeoutText.isPresent()) {
                Optional<Duration> parsed = timeoutText.get().strip().matches("\\d+")
                        ? Optional.of(Duration.ofSeconds(Long.parseLong(timeoutText.get().strip()))).filter(d -> !d.isZero())
                        : ExternalCommand.parseDuration(timeoutText.get());
                timeout = parsed.orElseThrow(() -> new RestoreProblem(timeoutProperty + " must be a time such as 90 min, 6h or 3600"));
            }
            return new ScratchServer(host, port, settings.setting(checkId, "maintenance-database").orElse("postgres"),
                    settings.setting(checkId, "user"), settings.setting(checkId, "password-file").map(Path::of),
                    settings.setting(checkId, "verify-query"), settings.setting(checkId, "psql").orElse("psql"),
                    settings.setting(checkId, "pg-restore").orElse("pg_restore"), timeout, scratch);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        void createDatabase(String database) throws RestoreProblem {
            // template0: nothing of template1 (which may hold tables) can pass for restored data
            Run run = run(psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", maintenanceDatabase, "-c",
                    "create database " + database + " template template0"), null, SHORT_TIMEOUT);
            if (run.timedOut) {
                throw new RestoreProblem("scratch server " + this + " unreachable: no answer within " + HumanText.duration(SHORT_TIMEOUT));
            }
            if (run.exitCode == 2) {
                String reason = firstError(run.stderr, run.exitCode);
                if (reason.contains("authentication failed") || reason.contains("no password supplied")) {
                    throw new RestoreProblem("scratch server " + this + " refused the agent's login" + user.map(u -> " as " + u).orElse("")
                            + ": " + reason);
                }
                throw new RestoreProblem("scratch server " + this + " unreachable: " + reason);
            }
            if (run.exitCode != 0) {
                throw new RestoreProblem("the agent cannot create a scratch database on " + this + user.map(u -> " as " + u).orElse("")
                        + ": " + firstError(run.stderr, run.exitCode));
            }
        }

        /** Drops the database this run created (never any other); empty when it is gone, else why not. */
        Optional<String> dropDatabase(String database) {
            if (!database.startsWith(NAME_PREFIX)) {
                throw new IllegalStateException("refusing to drop " + database);
            }
            try {
                Run run = run(psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", maintenanceDatabase, "-c",
                        "drop database if exists " + database + " with (force)"), null, SHORT_TIMEOUT);
                if (run.exitCode != 0 && !run.timedOut && run.stderr.contains("syntax error")) {
                    // before PostgreSQL 13: no FORCE; the restore's own connections are closed by now
                    run = run(psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", maintenanceDatabase, "-c",
                            "drop database if exists " + database), null, SHORT_TIMEOUT);
                }
                if (run.timedOut) {
                    return Optional.of("no answer within " + HumanText.duration(SHORT_TIMEOUT));
                }
                return run.exitCode == 0 ? Optional.empty() : Optional.of(firstError(run.stderr, run.exitCode));
            } catch (RestoreProblem e) {
                return Optional.of(e.getMessage());
            }
        }

        /** The first line of psql's answer on the given database; empty when psql answered nothing. */
        Optional<String> query(String database, String sql) throws RestoreProblem {
            Run run = run(psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql), null, SHORT_TIMEOUT);
            if (run.timedOut || run.exitCode == 2) {
                throw new RestoreProblem("scratch server " + this + " unreachable: "
                        + (run.timedOut ? "no answer within " + HumanText.duration(SHORT_TIMEOUT) : firstError(run.stderr, run.exitCode)));
            }
            if (run.exitCode != 0) {
                throw new RestoreProblem("the scratch server " + this + " could not count the restored tables: " + firstError(run.stderr, run.exitCode));
            }
            return run.stdout.strip().lines().findFirst();
        }

        /**
         * Runs psql or pg_restore against this server: connection in arguments, password in the environment only,
         * output into files in the scratch folder; {@code gzipInput} is gunzipped into the tool's standard input.
         */
        Run run(String program, List<String> arguments, Path gzipInput, Duration limit) throws RestoreProblem {
            List<String> command = new ArrayList<>();
            command.add(program);
            command.addAll(List.of("-w", "-h", host, "-p", Integer.toString(port)));
            user.ifPresent(u -> command.addAll(List.of("-U", u)));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> environment = builder.environment();
            // the agent's own environment must not point the tools elsewhere (PGSERVICE, PGOPTIONS, PGDATABASE...)
            environment.keySet().removeIf(name -> name.startsWith("PG"));
            environment.put("PGCONNECT_TIMEOUT", "10");
            environment.put("PGAPPNAME", "rampart-agent-restore");
            try {
                passwordInto(environment);
            } catch (IOException e) {
                throw new RestoreProblem("cannot read the password file for the scratch server " + this + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            Path out = null;
            Path err = null;
            Process process = null;
            Thread feeder = null;
            try {
                out = Files.createTempFile(scratch, "tool", ".out");
                err = Files.createTempFile(scratch, "tool", ".err");
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
                if (gzipInput == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")));
                }
                LOG.fine(() -> "running " + String.join(" ", command) + " (time limit " + limit + ")");
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw new RestoreProblem("cannot run " + program + " to restore into the scratch server " + this
                            + " (is the PostgreSQL client installed?)");
                }
                if (gzipInput != null) {
                    feeder = feed(gzipInput, process.getOutputStream());
                }
                boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                if (feeder != null) {
                    feeder.join(10_000);
                }
                return new Run(finished ? process.exitValue() : -1, read(out), read(err), !finished);
            } catch (IOException e) {
                throw new RestoreProblem("cannot run " + program + " against the scratch server " + this + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                if (process != null) {
                    process.destroyForcibly();
                }
                Thread.currentThread().interrupt();
                throw new RestoreProblem("interrupted while restoring into the scratch server " + this);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }

        private static Thread feed(Path gzip, OutputStream stdin) {
            Thread thread = new Thread(() -> {
                try (OutputStream to = stdin; InputStream from = new GZIPInputStream(Files.newInputStream(gzip), 1 << 16)) {
                    from.transferTo(to);
                } catch (IOException e) {
                    // a damaged .gz ends psql's input early; psql's error, or the table count, reports it
                    LOG.fine(() -> "gunzip of " + gzip.getFileName() + " stopped: " + e);
                }
            }, "restore-gunzip");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private void passwordInto(Map<String, String> environment) throws IOException {
            PostgresPassword.into(passwordFile, environment);
        }

        private static String read(Path file) throws IOException {
            // the tools' complaints come first; a runaway output is cut rather than filling the heap
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
        }

        private static void deleteQuietly(Path file) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // the scratch folder is removed afterwards anyway
                }
            }
        }
    }
}
