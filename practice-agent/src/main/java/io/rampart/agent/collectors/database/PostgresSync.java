package io.rampart.agent.collectors.database;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.rampart.agent.config.LocalChecks;

/**
 * PostgreSQL replication (streaming, or log shipping through a WAL archive), asked through {@code psql} (an external command keeps the agent
 * small and uses the same client the practice's administrator uses). Local settings:
 * {@code check.<id>.primary=host:port}, {@code check.<id>.secondary=host:port}, {@code check.<id>.database}
 * (default postgres), {@code check.<id>.user}, {@code check.<id>.password-file} (a one-line password,
 * or a pgpass file), {@code check.<id>.verify-query} (default {@value #DEFAULT_VERIFY_QUERY}),
 * {@code check.<id>.psql} (default psql on the PATH), {@code check.<id>.timeout} (seconds, default 30).
 * The password travels in the environment of psql only, never on its command line or in a log. The user needs
 * pg_monitor on both servers (to see pg_stat_wal_receiver and whether primary_conninfo/restore_command are set).
 */
public final class PostgresSync implements DatabaseSync {

    public static final String ENGINE = "postgresql";
    public static final String DEFAULT_VERIFY_QUERY = "select count(*) from pg_class";

    /**
     * One row on the primary: in recovery, WAL position, snapshot, now(), system identifier, start time, archive_timeout
     * (seconds), timeline (8 hex digits), physical slots as name:active:wal_status,..., archive_command failing A "primary" that is itself a standby (cascading) has received, not written, its position.
     */
    static final String PRIMARY_QUERY = "select pg_is_in_recovery(),"
            + " case when pg_is_in_recovery() then greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())"
            + " else pg_current_wal_lsn() end,"
            + " pg_current_snapshot(), extract(epoch from now()),"
            + " (select system_identifier from pg_control_system()), extract(epoch from pg_postmaster_start_time()),"
            + " (select setting from pg_settings where name = 'archive_timeout'),"
            + " case when pg_is_in_recovery() then (select lpad(to_hex(received_tli), 8, '0') from pg_stat_wal_receiver)"
            + " else substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) end,"
            + " (select string_agg(slot_name || ':' || active || ':' || coalesce(wal_status, ''), ',') from pg_replication_slots"
            + " where slot_type = 'physical'),"
            + " (select coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false) from pg_stat_archiver)";

    /**
     * One row on the secondary: in recovery, replayed position, last replayed commit time, snapshot, replay paused,
     * primary_conninfo set, restore_command set (never their values: a conninfo may hold a password; null when
     * pg_settings hides them), system identifier, start time, wal_receiver_timeout (ms), then the WAL receiver:
     * running, status, seconds since its last message (on the secondary's clock), sender host:port, received timeline;
     * then primary_slot_name and whether replay waits for queries (the startup process in pg_stat_activity).
     */
    static final String SECONDARY_QUERY = "select pg_is_in_recovery(), pg_last_wal_replay_lsn(),"
            + " extract(epoch from pg_last_xact_replay_timestamp()), pg_current_snapshot(),"
            + " case when pg_is_in_recovery() then pg_is_wal_replay_paused() else false end,"
            + " (select setting <> '' from pg_settings where name = 'primary_conninfo'),"
            + " (select setting <> '' from pg_settings where name = 'restore_command'),"
            + " (select system_identifier from pg_control_system()), extract(epoch from pg_postmaster_start_time()),"
            + " (select setting from pg_settings where name = 'wal_receiver_timeout'),"
            + " r.pid is not null, r.status, extract(epoch from now() - r.last_msg_receipt_time),"
            + " case when r.sender_host is null then '' else r.sender_host || ':' || r.sender_port end, r.received_tli,"
            + " (select setting from pg_settings where name = 'primary_slot_name'),"
            + " exists (select 1 from pg_stat_activity where backend_type = 'startup'"
            + " and (wait_event_type in ('Lock', 'BufferPin') or wait_event like 'RecoveryConflict%'))"
            + " from (select 1) as one left join pg_stat_wal_receiver r on true";

    private final Endpoint primary;
    private final Endpoint secondary;
    private final String database;
    private final Optional<String> user;
    private final Optional<Path> passwordFile;
    private final String verifyQuery;
    private final String psql;
    private final Duration timeout;

    private record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    PostgresSync(String primary, String secondary, String database, Optional<String> user, Optional<Path> passwordFile,
            String verifyQuery, String psql, Duration timeout) throws NotConfigured {
        this.primary = endpoint(primary, "primary");
        this.secondary = endpoint(secondary, "secondary");
        this.database = database;
        this.user = user;
        this.passwordFile = passwordFile;
        this.verifyQuery = verifyQuery;
        this.psql = psql;
        this.timeout = timeout;
    }

    static PostgresSync configured(String checkId, LocalChecks settings) throws NotConfigured {
        String primary = required(checkId, settings, "primary");
        String secondary = required(checkId, settings, "secondary");
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(settings.setting(checkId, "timeout").orElse("30")));
        } catch (NumberFormatException e) {
            throw new NotConfigured(LocalChecks.propertyFor(checkId, "timeout") + " must be a number of seconds");
        }
        return new PostgresSync(primary, secondary, settings.setting(checkId, "database").orElse("postgres"),
                settings.setting(checkId, "user"), settings.setting(checkId, "password-file").map(Path::of),
                settings.setting(checkId, "verify-query").orElse(DEFAULT_VERIFY_QUERY),
                settings.setting(checkId, "psql").orElse("psql"), timeout);
    }

    private static String required(String checkId, LocalChecks settings, String key) throws NotConfigured {
        return settings.setting(checkId, key).orElseThrow(() -> new NotConfigured("this computer does not know the "
                + key + " database server of check " + checkId + ": set " + LocalChecks.propertyFor(checkId, key)
                + "=<host:port> in checks.properties"));
    }

    private static Endpoint endpoint(String hostPort, String role) throws NotConfigured {
        String text = hostPort.trim();
        String host = text;
        int port = 5432;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new NotConfigured("the " + role + " " + text + " is not host:port");
            }
            host = text.substring(1, close);
            text = text.substring(close + 1);
            if (!text.isEmpty() && !text.startsWith(":")) {
                throw new NotConfigured("the " + role + " " + hostPort + " is not host:port");
            }
            text = text.isEmpty() ? "" : text.substring(1);
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            text = text.substring(text.indexOf(':') + 1);
        } else {
            text = "";
        }
        if (!text.isEmpty()) {
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new NotConfigured("the " + role + " " + hostPort + " is not host:port");
            }
        }
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new NotConfigured("the " + role + " " + hostPort + " is not host:port");
        }
        return new Endpoint(host, port);
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public String primary() {
        return primary.toString();
    }

    @Override
    public String secondary() {
        return secondary.toString();
    }

    @Override
    public PrimaryPosition readPrimary() throws Unreachable, QueryFailed {
        String answer = query(primary, "primary", PRIMARY_QUERY);
        List<String> row = row(answer, 10, "the primary's WAL position");
        try {
            Map<String, PrimaryPosition.Slot> slots = new HashMap<>();
            for (String slot : row.get(8).isEmpty() ? new String[0] : row.get(8).split(",")) {
                String[] parts = slot.split(":", -1);
                slots.put(parts[0], new PrimaryPosition.Slot("true".equals(parts[1]), parts.length > 2 ? parts[2] : ""));
            }
            return new PrimaryPosition("t".equals(row.get(0)), Lsn.parse(row.get(1)), XidSnapshot.parse(row.get(2)), epoch(row.get(3)),
                    Long.parseLong(row.get(4)), epoch(row.get(5)), Duration.ofSeconds(Long.parseLong(row.get(6))),
                    row.get(7).isEmpty() ? 0 : Long.parseLong(row.get(7), 16), Map.copyOf(slots), "t".equals(row.get(9)));
        } catch (IllegalArgumentException e) {
            throw new QueryFailed("the primary answered " + answer + " to the WAL position query (" + e.getMessage() + ")");
        }
    }

    @Override
    public StandbyState readSecondary() throws Unreachable, QueryFailed {
        String answer = query(secondary, "secondary", SECONDARY_QUERY);
        List<String> row = row(answer, 17, "the secondary's replication state");
        try {
            Optional<StandbyState.WalReceiver> receiver = "t".equals(row.get(10))
                    ? Optional.of(new StandbyState.WalReceiver(text(row.get(11)),
                            text(row.get(12)).map(seconds -> Duration.between(Instant.EPOCH, epoch(seconds))), row.get(13),
                            text(row.get(14)).map(Long::parseLong).orElse(0L)))
                    : Optional.empty();
            return new StandbyState("t".equals(row.get(0)), text(row.get(1)).map(Lsn::parse), text(row.get(2)).map(PostgresSync::epoch),
                    XidSnapshot.parse(row.get(3)), "t".equals(row.get(4)), text(row.get(5)).map("t"::equals),
                    text(row.get(6)).map("t"::equals), Long.parseLong(row.get(7)), epoch(row.get(8)),
                    Duration.ofMillis(Long.parseLong(row.get(9))), receiver, text(row.get(15)), "t".equals(row.get(16)));
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
            throw new QueryFailed("the secondary answered " + answer + " to the replication state query (" + e.getMessage() + ")");
        }
    }

    /** psql's unaligned row: fields separated by '|', null as empty. */
    private static List<String> row(String answer, int fields, String what) throws QueryFailed {
        String line = answer.lines().findFirst().orElse("");
        List<String> row = List.of(line.split("\\|", -1));
        if (row.size() != fields) {
            throw new QueryFailed("cannot read " + what + " from the answer " + line);
        }
        return row;
    }

    private static Optional<String> text(String field) {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    /** extract(epoch from ...): seconds since 1970 with up to 6 decimals. */
    private static Instant epoch(String seconds) {
        BigDecimal value = new BigDecimal(seconds.trim());
        BigDecimal whole = value.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), value.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValue());
    }

    @Override
    public String verifySecondary() throws Unreachable, QueryFailed {
        String answer = query(secondary, "secondary", verifyQuery);
        String firstLine = answer.lines().findFirst().orElse("");
        return firstLine.length() > 200 ? firstLine.substring(0, 200) + "..." : firstLine;
    }

    /** psql -X -A -t -c: the answer as plain text, trimmed. Exit 2 is psql's "could not connect". */
    private String query(Endpoint server, String role, String sql) throws Unreachable, QueryFailed {
        List<String> command = new ArrayList<>(List.of(psql, "-X", "-A", "-t", "-q", "-w",
                "-v", "ON_ERROR_STOP=1", "-h", server.host(), "-p", Integer.toString(server.port()), "-d", database));
        user.ifPresent(u -> command.addAll(List.of("-U", u)));
        command.addAll(List.of("-c", sql));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        // the agent's own environment must not point psql elsewhere (PGSERVICE, PGOPTIONS, ...)
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        environment.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(2, Math.min(timeout.toSeconds(), 10))));
        environment.put("PGAPPNAME", "rampart-agent");
        try {
            passwordInto(environment);
        } catch (IOException e) {
            throw new Unreachable("cannot read the password file of the " + role + " " + server + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("rampart-psql", ".out");
            err = Files.createTempFile("rampart-psql", ".err");
            Process process;
            try {
                process = builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new Unreachable("cannot run " + psql + " to reach the " + role + " " + server
                        + " (is the PostgreSQL client installed?)");
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new Unreachable("the " + role + " " + server + " did not answer within " + timeout.toSeconds() + " s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
            String stderr = Files.readString(err, StandardCharsets.UTF_8).trim();
            int exit = process.exitValue();
            if (exit == 0) {
                return stdout;
            }
            String reason = firstLine(stderr);
            if (exit == 2) {
                throw new Unreachable("cannot reach the " + role + " " + server + ": " + reason);
            }
            throw new QueryFailed(reason);
        } catch (IOException e) {
            throw new Unreachable("cannot ask the " + role + " " + server + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while asking the " + role + " " + server);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private void passwordInto(Map<String, String> environment) throws IOException {
        PostgresPassword.into(passwordFile, environment);
    }

    private static String firstLine(String stderr) {
        String line = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("no message").strip();
        for (String prefix : List.of("psql: error: ", "psql: ", "ERROR:  ")) {
            if (line.startsWith(prefix)) {
                line = line.substring(prefix.length());
            }
        }
        return line;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temp file is harmless
            }
        }
    }
}
