package io.rampart.agent.collectors.database;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real PostgreSQL 15 servers for tests (Debian's /usr/lib/postgresql/15/bin), run as the postgres system user when
 * the tests run as root, in a temp folder on free ports, trusting 127.0.0.1: a primary that archives its WAL
 * segments to a folder (archive_command cp, archive_timeout off), streaming standbys made with pg_basebackup -R,
 * and log-shipping standbys that only restore from that folder (restore_command cp, no primary_conninfo).
 */
public final class RealPostgres implements AutoCloseable {

    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** One server: its data folder and port on 127.0.0.1. */
    public record Server(String name, Path data, int port) {
        /** host:port as the agent's checks.properties names it. */
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private final Path base;
    private final Path archive;
    private final Server primary;
    private final List<Server> servers = new ArrayList<>();

    private RealPostgres(Path base, Server primary) {
        this.base = base;
        this.archive = base.resolve("archive");
        this.primary = primary;
    }

    public static boolean installed() {
        return Files.isExecutable(BIN.resolve("postgres")) && Files.isExecutable(BIN.resolve("pg_basebackup"));
    }

    /** Starts a primary that archives every finished WAL segment. */
    public static RealPostgres startPrimary() throws Exception {
        Path base = Files.createTempDirectory("rampart-pg");
        if (ROOT) {
            Files.setOwner(base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        RealPostgres postgres = new RealPostgres(base, new Server("primary", base.resolve("primary"), freePort()));
        try {
            Files.createDirectory(postgres.archive);
            if (ROOT) {
                Files.setOwner(postgres.archive, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            }
            Server primary = postgres.primary;
            asPostgres("initdb", "-D", primary.data().toString(), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync");
            Files.writeString(primary.data().resolve("postgresql.conf"), String.join("\n",
                    "", "listen_addresses = '127.0.0.1'", "port = " + primary.port(), "unix_socket_directories = '" + base + "'",
                    "wal_level = replica", "max_wal_senders = 10", "fsync = off", "hot_standby = on", "shared_buffers = 16MB",
                    "archive_mode = on", "archive_command = 'test ! -f " + postgres.archive + "/%f && cp %p " + postgres.archive + "/%f'",
                    ""), StandardOpenOption.APPEND);
            Files.writeString(primary.data().resolve("pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n", StandardOpenOption.APPEND);
            postgres.start(primary);
            return postgres;
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
    }

    public Server primary() {
        return primary;
    }

    /** A server started earlier, by name. */
    public Server server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A standby streaming from the primary (pg_basebackup -R writes primary_conninfo), started and streaming. */
    public Server streamingStandby(String name) throws Exception {
        return streamingStandby(name, primary);
    }

    /** A standby streaming from {@code upstream}, itself a standby for cascading replication. */
    public Server streamingStandby(String name, Server upstream) throws Exception {
        Server standby = new Server(name, base.resolve(name), freePort());
        asPostgres("pg_basebackup", "-R", "-D", standby.data().toString(), "-h", "127.0.0.1", "-p", Integer.toString(upstream.port()),
                "-U", "postgres", "-X", "stream", "-c", "fast", "--no-sync");
        Files.writeString(standby.data().resolve("postgresql.conf"), "\nport = " + standby.port() + "\n", StandardOpenOption.APPEND);
        start(standby);
        await().atMost(Duration.ofSeconds(30)).until(() -> "streaming".equals(sql(standby, "select status from pg_stat_wal_receiver")));
        return standby;
    }

    /** A standby fed only by the primary's WAL archive (standby.signal, restore_command, no primary_conninfo). */
    public Server logShippingStandby(String name) throws Exception {
        Server standby = new Server(name, base.resolve(name), freePort());
        asPostgres("pg_basebackup", "-D", standby.data().toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port()),
                "-U", "postgres", "-X", "fetch", "-c", "fast", "--no-sync");
        Files.writeString(standby.data().resolve("postgresql.conf"), String.join("\n", "", "port = " + standby.port(),
                "restore_command = 'cp " + archive + "/%f %p'", "wal_retrieve_retry_interval = '1s'", ""), StandardOpenOption.APPEND);
        Path signal = standby.data().resolve("standby.signal");
        Files.createFile(signal);
        if (ROOT) {
            Files.setOwner(signal, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
        start(standby);
        return standby;
    }

    /** pg_ctl promote: the standby leaves recovery and becomes a primary of its own. */
    public void promote(Server standby) throws Exception {
        asPostgres("pg_ctl", "-D", standby.data().toString(), "-w", "-t", "60", "promote");
    }

    public void stop(Server server) throws Exception {
        asPostgres("pg_ctl", "-D", server.data().toString(), "-m", "fast", "-w", "stop");
    }

    /** psql as postgres: the answer unaligned, without headers, trimmed. */
    public static String sql(Server server, String sql) throws Exception {
        return run(true, List.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(server.port()), "-U", "postgres", "-d", "postgres", "-c", sql)).trim();
    }

    /**
     * Starts psql running {@code sql} on the server in the background (application_name {@code name}), e.g. a long
     * query that holds a lock; end it with pg_terminate_backend, since a killed psql leaves its backend running.
     */
    public static Process startQuery(Server server, String name, String sql) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-U", "postgres", "-d", "postgres", "-c", sql).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("PGAPPNAME", name);
        return builder.start();
    }

    /** A port nothing listens on (free a moment ago). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = servers.size() - 1; i >= 0; i--) {
            Server server = servers.get(i);
            if (Files.exists(server.data().resolve("postmaster.pid"))) {
                run(false, withUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", server.data().toString(), "-m", "immediate", "-w", "stop")));
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void start(Server server) throws Exception {
        servers.add(server);
        asPostgres("pg_ctl", "-D", server.data().toString(), "-l", base.resolve(server.name() + ".log").toString(), "-w", "-t", "60", "start");
    }

    private static void asPostgres(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(args));
        run(true, withUser(command));
    }

    private static List<String> withUser(List<String> command) {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return full;
    }

    private static String run(boolean mustSucceed, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (mustSucceed && process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }
}
