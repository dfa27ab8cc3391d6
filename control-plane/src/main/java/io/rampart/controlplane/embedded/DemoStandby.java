package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The demo practice's clinical database and its standby: a small PostgreSQL primary and a streaming
 * standby made from it with {@code pg_basebackup -R}, from Debian's server programs, in
 * {@code dir/primary} and {@code dir/standby} on free ports of 127.0.0.1 (trust authentication, only
 * from 127.0.0.1). Made once; later starts start them again on new ports (the standby's
 * primary_conninfo is rewritten to match). Run as the postgres system user when the control plane
 * runs as root, since PostgreSQL refuses root. Each postmaster runs in the foreground as a supervised
 * child ({@link DemoChildProcess}): one that exits (killed, out of memory) is started again on its data
 * directory, where crash recovery replays its WAL, so the demo's db-sync layer does not go quiet for good.
 * Stopped (fast shutdown) with the demo.
 */
final class DemoStandby implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoStandby.class);

    private final Path bin;
    private final Path dir;
    private final int primaryPort;
    private final int standbyPort;
    private final List<Server> started = new ArrayList<>();

    /** A postmaster started by this demo, on its data directory. */
    private record Server(Path data, DemoChildProcess postmaster) {
    }

    private DemoStandby(Path bin, Path dir, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /**
     * Makes what is missing and starts both servers; returns once the standby is in recovery.
     *
     * @throws IllegalStateException with the PostgreSQL program's own words when one fails
     */
    static DemoStandby start(Path bin, Path dir) {
        DemoStandby servers = new DemoStandby(bin, dir, DemoProcesses.freePort(), DemoProcesses.freePort());
        try {
            servers.makeAndStart();
            return servers;
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e instanceof IOException io ? new UncheckedIOException("Could not start the demo database in " + dir, io)
                    : (RuntimeException) e;
        }
    }

    /** The checks.properties lines of check "db-sync". */
    String bindings() {
        return "check.db-sync.primary=127.0.0.1:" + primaryPort + "\n"
                + "check.db-sync.secondary=127.0.0.1:" + standbyPort + "\n"
                + "check.db-sync.user=postgres\n"
                + "check.db-sync.psql=" + bin.resolve("psql") + "\n";
    }

    private void makeAndStart() throws IOException {
        Path primary = dir.resolve("primary");
        Path standby = dir.resolve("standby");
        Files.createDirectories(dir);
        if (DemoProcesses.root()) {
            chownToPostgres(dir);
            reachableByPostgres();
        }
        if (!Files.exists(primary.resolve("PG_VERSION"))) {
            deleteHalfMade(primary);
            asPostgres("initdb", "-D", primary.toString(), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync");
            Files.writeString(primary.resolve("postgresql.conf"), String.join("\n", "", "# the Rampart demo's clinical database",
                    "listen_addresses = '127.0.0.1'", "unix_socket_directories = '" + dir + "'", "wal_level = replica",
                    "max_wal_senders = 4", "hot_standby = on", "shared_buffers = 16MB", "max_connections = 20", ""),
                    StandardOpenOption.APPEND);
            Files.writeString(primary.resolve("pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n", StandardOpenOption.APPEND);
        }
        stopLeftBehind(primary);
        stopLeftBehind(standby);
        startServer(primary, primaryPort);
        if (!Files.exists(standby.resolve("PG_VERSION"))) {
            deleteHalfMade(standby);
            sql(primaryPort, "create table if not exists appointments (id serial primary key, patient text, at timestamptz default now());"
                    + " insert into appointments (patient) select 'patient ' || n from generate_series(1, 500) n");
            asPostgres("pg_basebackup", "-R", "-D", standby.toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                    "-U", "postgres", "-X", "stream", "-c", "fast", "--no-sync");
        }
        pointAtPrimary(standby);
        startServer(standby, standbyPort);
        LOG.infof("The demo's clinical database runs on 127.0.0.1:%d with a streaming standby on 127.0.0.1:%d (PostgreSQL from %s; data in %s)",
                primaryPort, standbyPort, bin, dir);
    }

    /** The primary's port changes from start to start: the standby follows it (postgresql.auto.conf, as pg_basebackup -R wrote). */
    private void pointAtPrimary(Path standby) throws IOException {
        Path auto = standby.resolve("postgresql.auto.conf");
        List<String> lines = Files.readAllLines(auto).stream().filter(line -> !line.startsWith("primary_conninfo")).toList();
        List<String> updated = new ArrayList<>(lines);
        updated.add("primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=postgres application_name=standby'");
        Files.write(auto, updated);
    }

    /** Starts the postmaster in the foreground under supervision and returns once it accepts connections (at most 60 s). */
    private void startServer(Path data, int port) {
        Path log = data.resolveSibling(data.getFileName() + ".log");
        started.add(new Server(data, DemoChildProcess.start("clinical database (" + data.getFileName() + ")",
                withUser(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port))), Map.of(), log)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                DemoProcesses.run(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port)),
                        Path.of("/"), 10);
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL on " + data + " did not accept connections within 60 s; see " + log, notYet);
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the demo database", e);
        }
    }

    /** A server of an earlier control plane killed with SIGKILL still runs (pg_ctl detaches it): stop it. */
    private void stopLeftBehind(Path data) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                asPostgres("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
            } catch (IllegalStateException notRunning) {
                // a stale postmaster.pid: PostgreSQL replaces it itself
            }
        }
    }

    private void sql(int port, String sql) {
        DemoProcesses.run(withUser(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-c", sql)), Path.of("/"), 60);
    }

    private void asPostgres(String program, String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve(program).toString()));
        command.addAll(List.of(arguments));
        DemoProcesses.run(withUser(command), Path.of("/"), 120);
    }

    private static List<String> withUser(List<String> command) {
        if (!DemoProcesses.root()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        return full;
    }

    /** PostgreSQL runs as the postgres user, who must be able to pass through every folder above its data. */
    private void reachableByPostgres() {
        try {
            DemoProcesses.run(List.of("runuser", "-u", "postgres", "--", "test", "-x", dir.toString()), Path.of("/"), 30);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the postgres user cannot reach " + dir + ": let it through each folder above"
                    + " (chmod o+x), or put the data directory where it can (RAMPART_DATA_DIR)", e);
        }
    }

    private static void chownToPostgres(Path directory) throws IOException {
        var postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(directory, postgres);
    }

    private static void deleteHalfMade(Path data) throws IOException {
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> all = Files.walk(data)) {
            for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Stops the standby, then the primary (fast shutdown: their clients are the demo's agents), for good. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Path data = started.get(i).data();
            started.get(i).postmaster().close(() -> {
                try {
                    asPostgres("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
                } catch (RuntimeException e) {
                    LOG.warnf("Stopping the demo database in %s failed: %s", data, e.getMessage());
                }
            });
        }
        started.clear();
    }

    /** The running postmaster of {@code data} ("primary" or "standby"), as its postmaster.pid says; for tests. */
    java.util.Optional<ProcessHandle> postmaster(String data) throws IOException {
        Path pid = dir.resolve(data).resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).filter(ProcessHandle::isAlive);
    }

    /** The standby's port on 127.0.0.1. */
    int standbyPort() {
        return standbyPort;
    }
}
