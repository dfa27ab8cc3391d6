package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Keeps the embedded PostgreSQL running: a postmaster that exits while the control plane runs
 * (killed, out of memory) is started again on the same data directory, where PostgreSQL's crash
 * recovery replays its write-ahead log, after a pause that doubles from 1 s up to 60 s while it
 * keeps failing. Each exit and restart is logged.
 *
 * <p>
 * The postmaster is started again with the command line the first one ran with (read from
 * {@code /proc/<pid>/cmdline}: zonky's binaries, port, fsync and other settings), in the
 * foreground as a child of this JVM, its output appended to {@code postgres.log} next to the
 * data directory. When this JVM runs as root it is started as zonky starts it, under
 * {@code unshare -U}: PostgreSQL refuses to run as root, and in a new user namespace its user
 * id is not 0. Without {@code /proc} (not Linux) the server is not supervised, and that is logged.
 */
final class PostmasterSupervisor {

    private static final Logger LOG = Logger.getLogger(PostmasterSupervisor.class);
    private static final Duration FIRST_RESTART_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_RESTART_PAUSE = Duration.ofSeconds(60);
    /** Crash recovery replays the write-ahead log written since the last checkpoint (5 min by default). */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);

    private final Path pgdata;
    private final int port;
    private final List<String> command;
    private final AtomicLong restarts = new AtomicLong();
    private volatile ProcessHandle postmaster;
    private volatile Process child;
    private volatile boolean closing;

    private PostmasterSupervisor(Path pgdata, int port, List<String> command, ProcessHandle postmaster) {
        this.pgdata = pgdata;
        this.port = port;
        this.command = command;
        this.postmaster = postmaster;
    }

    /**
     * Starts watching the postmaster that runs on {@code pgdata} now (its pid from
     * {@code postmaster.pid}).
     *
     * @return the supervisor, or empty when the postmaster or its command line cannot be found
     *     (then the server runs unsupervised, as logged)
     */
    static Optional<PostmasterSupervisor> watch(Path pgdata, int port) {
        Optional<ProcessHandle> running = runningPostmaster(pgdata);
        Optional<List<String>> command = running.flatMap(PostmasterSupervisor::commandLine);
        if (command.isEmpty()) {
            LOG.warnf("The embedded PostgreSQL on %s is not supervised: its postmaster's command line could not be read"
                    + " from /proc; if it stops, restart the control plane", pgdata);
            return Optional.empty();
        }
        List<String> launch = new ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            launch.addAll(List.of("unshare", "-U"));
        }
        launch.addAll(command.get());
        PostmasterSupervisor supervisor = new PostmasterSupervisor(pgdata, port, List.copyOf(launch), running.get());
        supervisor.supervise();
        return Optional.of(supervisor);
    }

    /** How many times the postmaster was started again after it exited on its own. */
    long restarts() {
        return restarts.get();
    }

    /** Stops supervising: called before the server is stopped on purpose. */
    void stopWatching() {
        closing = true;
    }

    /** A postmaster this supervisor started and that the orderly stop left running gets SIGTERM (smart shutdown). */
    void stopChild() {
        Process started = child;
        if (started != null && started.isAlive()) {
            started.destroy();
            try {
                if (!started.waitFor(60, TimeUnit.SECONDS)) {
                    started.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void supervise() {
        Thread supervisor = new Thread(() -> {
            Duration pause = FIRST_RESTART_PAUSE;
            while (!closing) {
                ProcessHandle watched = postmaster;
                try {
                    watched.onExit().get();
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException e) {
                    // it is gone either way
                }
                if (closing) {
                    return;
                }
                LOG.errorf("The embedded PostgreSQL (postmaster pid %d) exited; starting it again on %s in %d s"
                        + " (crash recovery replays its write-ahead log; see postgres.log next to it)",
                        watched.pid(), pgdata, pause.toSeconds());
                try {
                    TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                    if (closing) {
                        return;
                    }
                    long started = System.nanoTime();
                    launch();
                    awaitAcceptingConnections();
                    restarts.incrementAndGet();
                    LOG.warnf("The embedded PostgreSQL accepts connections again on localhost:%d (restart %d, postmaster pid %d,"
                            + " %d ms after it was started again)", port, restarts.get(), postmaster.pid(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    pause = FIRST_RESTART_PAUSE;
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("Starting the embedded PostgreSQL again on %s failed: %s", pgdata, e.getMessage());
                    Duration doubled = pause.multipliedBy(2);
                    pause = doubled.compareTo(LONGEST_RESTART_PAUSE) > 0 ? LONGEST_RESTART_PAUSE : doubled;
                }
            }
        }, "embedded-postgres-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /**
     * Starts the postmaster again. A {@code postmaster.pid} left by the killed one is removed only
     * when the pid it names is dead; if a postmaster runs there after all, that one is watched.
     */
    private void launch() throws IOException {
        Optional<ProcessHandle> running = runningPostmaster(pgdata);
        if (running.isPresent()) {
            LOG.warnf("A PostgreSQL postmaster (pid %d) already runs on %s: watching it", running.get().pid(), pgdata);
            postmaster = running.get();
            return;
        }
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (Files.deleteIfExists(pidFile)) {
            LOG.infof("Removed the stale %s: the postmaster it names is dead", pidFile);
        }
        Process started = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pgdata.resolveSibling("postgres.log").toFile()))
                .start();
        child = started;
        postmaster = started.toHandle();
    }

    private void awaitAcceptingConnections() throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=5";
        String lastRefusal = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!postmaster.isAlive()) {
                throw new IllegalStateException("the postmaster (pid " + postmaster.pid() + ") exited during start-up"
                        + " or crash recovery; see postgres.log next to " + pgdata);
            }
            try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgres.USER, "")) {
                if (connection.isValid(5)) {
                    return;
                }
            } catch (SQLException notYet) {
                // 57P03 "the database system is starting up" while crash recovery replays the WAL
                lastRefusal = notYet.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        postmaster.destroy();
        throw new IllegalStateException("the postmaster did not accept connections on port " + port + " within "
                + RECOVERY_TIMEOUT.toSeconds() + " s (last answer: " + lastRefusal + ")");
    }

    /** The live postgres process named by {@code pgdata/postmaster.pid}, if any. */
    static Optional<ProcessHandle> runningPostmaster(Path pgdata) {
        Path pidFile = pgdata.resolve("postmaster.pid");
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        } catch (IOException | RuntimeException absentOrUnreadable) {
            return Optional.empty();
        }
    }

    /** The process's arguments, {@code argv[0]} first, from Linux's {@code /proc/<pid>/cmdline}. */
    private static Optional<List<String>> commandLine(ProcessHandle process) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8);
            List<String> arguments = List.of(cmdline.split("\0"));
            return arguments.isEmpty() || arguments.get(0).isBlank() ? Optional.empty() : Optional.of(arguments);
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }
}
