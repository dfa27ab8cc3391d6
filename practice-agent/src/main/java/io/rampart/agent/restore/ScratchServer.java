package io.rampart.agent.restore;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import io.rampart.agent.collectors.ExternalCommand;
import io.rampart.agent.collectors.HumanText;
import io.rampart.agent.collectors.database.PostgresPassword;
import io.rampart.agent.config.LocalChecks;

/**
 * The scratch PostgreSQL server of a restore test ({@code check.<restore-id>.scratch-database=host:port}) and how
 * psql and pg_restore are run against it.
 *
 * <p>The tools never see the agent's secrets: each runs with an environment holding only PATH (and, on Windows,
 * SystemRoot), {@code HOME} and {@code TMPDIR} set to the run's scratch folder, {@code LC_ALL=C}, and the PG* variables
 * set here: the connection timeout, the application name, and the scratch server's password only ({@code PGPASSWORD}
 * from a one-line {@code password-file}, or {@code PGPASSFILE} naming that file; otherwise {@code PGPASSFILE} names a
 * file that does not exist, so libpq never reads the agent user's own {@code ~/.pgpass}). Their working folder is the
 * scratch folder; psql always gets {@code -X} (no psqlrc) and {@code -w} (never prompts).
 */
final class ScratchServer {

    static final Duration SHORT_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(ScratchServer.class.getName());
    private static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);

    /** Writes a tool's standard input (psql reading a plain dump). */
    interface Feeder {
        void feed(OutputStream stdin) throws IOException;
    }

    private final String host;
    private final int port;
    final String checkId;
    final String maintenanceDatabase;
    final Optional<String> user;
    private final Optional<Path> passwordFile;
    final Optional<String> verifyQuery;
    final String psql;
    final String pgRestore;
    final Duration timeout;
    private final Path scratch;

    private ScratchServer(String checkId, String host, int port, String maintenanceDatabase, Optional<String> user,
            Optional<Path> passwordFile, Optional<String> verifyQuery, String psql, String pgRestore, Duration timeout, Path scratch) {
        this.checkId = checkId;
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

    /**
     * The server set for restore check {@code checkId}.
     *
     * @throws RestoreProblem a setting is missing or malformed, naming the property
     */
    static ScratchServer configured(LocalChecks settings, String checkId, Path scratch) throws RestoreProblem {
        String property = LocalChecks.propertyFor(checkId, PostgresDumpRestore.SCRATCH_DATABASE);
        String text = settings.setting(checkId, PostgresDumpRestore.SCRATCH_DATABASE).orElseThrow(() -> new RestoreProblem(
                "restoring a PostgreSQL dump needs a scratch database server: set " + property
                        + "=<host:port> (a server where the agent's user may create databases) in checks.properties"))
                .strip();
        if (text.contains("/") || text.contains("=") || text.contains(" ")) {
            throw new RestoreProblem(property + " must be only host:port: the agent makes up the scratch database's name itself ("
                    + PostgresDumpRestore.NAME_PREFIX + "<random>) so that it can never be an existing database");
        }
        String host = text;
        int port;
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
        return new ScratchServer(checkId, host, port, settings.setting(checkId, "maintenance-database").orElse("postgres"),
                settings.setting(checkId, "user"), settings.setting(checkId, "password-file").map(Path::of),
                settings.setting(checkId, "verify-query"), settings.setting(checkId, "psql").orElse("psql"),
                settings.setting(checkId, "pg-restore").orElse("pg_restore"), timeout, scratch);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    void createDatabase(String database) throws RestoreProblem {
        // template0: nothing of template1 (which may hold tables or functions) can pass for restored data
        ToolRun run = psql(maintenanceDatabase, "create database " + database + " template template0", SHORT_TIMEOUT);
        if (run.timedOut()) {
            throw new RestoreProblem("scratch server " + this + " unreachable: no answer within " + HumanText.duration(SHORT_TIMEOUT));
        }
        if (run.exitCode() == 2) {
            String reason = PostgresDumpRestore.firstError(run.stderr(), run.exitCode());
            if (reason.contains("authentication failed") || reason.contains("no password supplied")) {
                throw new RestoreProblem("scratch server " + this + " refused the agent's login" + user.map(u -> " as " + u).orElse("")
                        + ": " + reason);
            }
            throw new RestoreProblem("scratch server " + this + " unreachable: " + reason);
        }
        if (run.exitCode() != 0) {
            throw new RestoreProblem("the agent cannot create a scratch database on " + this + user.map(u -> " as " + u).orElse("")
                    + ": " + PostgresDumpRestore.firstError(run.stderr(), run.exitCode()));
        }
    }

    /** Drops the database this run created (never any other); empty when it is gone, else why not. */
    Optional<String> dropDatabase(String database) {
        if (!database.startsWith(PostgresDumpRestore.NAME_PREFIX)) {
            throw new IllegalStateException("refusing to drop " + database);
        }
        try {
            ToolRun run = psql(maintenanceDatabase, "drop database if exists " + database + " with (force)", SHORT_TIMEOUT);
            if (run.exitCode() != 0 && !run.timedOut() && run.stderr().contains("syntax error")) {
                // before PostgreSQL 13: no FORCE; the restore's own connections are closed by now
                run = psql(maintenanceDatabase, "drop database if exists " + database, SHORT_TIMEOUT);
            }
            if (run.timedOut()) {
                return Optional.of("no answer within " + HumanText.duration(SHORT_TIMEOUT));
            }
            return run.exitCode() == 0 ? Optional.empty() : Optional.of(PostgresDumpRestore.firstError(run.stderr(), run.exitCode()));
        } catch (RestoreProblem e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * psql's answer to {@code sql} on {@code database}, one line per row, fields separated by '|'.
     *
     * @param what what the query is for, e.g. "count the restored tables", for the message when it fails
     * @throws RestoreProblem the server is unreachable or the query failed
     */
    List<String> query(String database, String sql, String what) throws RestoreProblem {
        ToolRun run = psql(database, sql, SHORT_TIMEOUT);
        if (run.timedOut() || run.exitCode() == 2) {
            throw new RestoreProblem("scratch server " + this + " unreachable: " + (run.timedOut()
                    ? "no answer within " + HumanText.duration(SHORT_TIMEOUT) : PostgresDumpRestore.firstError(run.stderr(), run.exitCode())));
        }
        if (run.exitCode() != 0) {
            throw new RestoreProblem("the scratch server " + this + " could not " + what + ": "
                    + PostgresDumpRestore.firstError(run.stderr(), run.exitCode()));
        }
        return run.stdout().strip().lines().toList();
    }

    /** psql -c on {@code database}: unaligned, tuples only. */
    ToolRun psql(String database, String sql, Duration limit) throws RestoreProblem {
        return run(psql, List.of("-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql), null, limit);
    }

    /**
     * What {@code psql --version} printed (no connection is made).
     *
     * @throws RestoreProblem psql cannot be started
     */
    String psqlVersion() throws RestoreProblem {
        ToolRun run = start(List.of(psql, "--version"), null, SHORT_TIMEOUT);
        return run.stdout().strip();
    }

    /**
     * Runs psql or pg_restore against this server: connection in arguments, password in the environment only,
     * output into files in the scratch folder; {@code feeder} writes the tool's standard input (else it is empty).
     *
     * @throws RestoreProblem the tool cannot be started or the password file cannot be read
     */
    ToolRun run(String program, List<String> arguments, Feeder feeder, Duration limit) throws RestoreProblem {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(List.of("-w", "-h", host, "-p", Integer.toString(port)));
        user.ifPresent(u -> command.addAll(List.of("-U", u)));
        command.addAll(arguments);
        return start(command, feeder, limit);
    }

    private ToolRun start(List<String> command, Feeder feeder, Duration limit) throws RestoreProblem {
        String program = command.get(0);
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile());
        try {
            environment(builder.environment());
        } catch (IOException e) {
            throw new RestoreProblem("cannot read the password file for the scratch server " + this + " (" + e.getClass().getSimpleName() + ")");
        }
        Path out = null;
        Path err = null;
        Process process = null;
        Thread feeding = null;
        AtomicReference<String> feedFailure = new AtomicReference<>();
        try {
            out = Files.createTempFile(scratch, "tool", ".out");
            err = Files.createTempFile(scratch, "tool", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            if (feeder == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")));
            }
            LOG.fine(() -> "running " + String.join(" ", command) + " (time limit " + limit + ")");
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new RestoreProblem("cannot run " + program + " to restore into the scratch server " + this
                        + " (is the PostgreSQL client installed?)");
            }
            if (feeder != null) {
                feeding = feed(feeder, process.getOutputStream(), feedFailure);
            }
            boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (feeding != null) {
                feeding.join(10_000);
            }
            return new ToolRun(finished ? process.exitValue() : -1, read(out), read(err), !finished, Optional.ofNullable(feedFailure.get()));
        } catch (IOException e) {
            throw new RestoreProblem("cannot run " + program + " against the scratch server " + this + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Thread.currentThread().interrupt();
            throw new RestoreProblem("interrupted while restoring into the scratch server " + this);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Only what the tools need; nothing of the agent's own environment but PATH (and Windows' SystemRoot). */
    private void environment(Map<String, String> environment) throws IOException {
        Map<String, String> agent = System.getenv();
        environment.clear();
        for (String kept : List.of("PATH", "Path", "SystemRoot", "SYSTEMROOT")) {
            if (agent.containsKey(kept)) {
                environment.put(kept, agent.get(kept));
            }
        }
        environment.put("HOME", scratch.toString());
        environment.put("TMPDIR", scratch.toString());
        // the C locale: the tools' complaints in the words DumpRefusals reads; the dump sets its own client_encoding
        environment.put("LC_ALL", "C");
        environment.put("PGCONNECT_TIMEOUT", "10");
        environment.put("PGAPPNAME", "rampart-agent-restore");
        PostgresPassword.into(passwordFile, environment);
        // libpq finds ~/.pgpass through the password database, not HOME: point it at a file that is not there
        environment.putIfAbsent("PGPASSFILE", scratch.resolve("no-pgpass").toString());
    }

    private static Thread feed(Feeder feeder, OutputStream stdin, AtomicReference<String> failure) {
        Thread thread = new Thread(() -> {
            try (OutputStream to = stdin) {
                feeder.feed(to);
            } catch (IOException e) {
                // psql exited early (its error is the finding), or the dump could not be read to its end (a damaged .gz)
                failure.set(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                LOG.fine(() -> "feeding the restore stopped: " + e);
            }
        }, "restore-feed");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name").startsWith("Windows");
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
