package io.rampart.controlplane.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A server program the demo runs as a child process (NUT's driver and upsd), supervised: when it exits
 * on its own it is started again with the same command, after a pause of 1 s doubling up to 60 s while
 * it keeps exiting, each exit and restart logged. {@link #close()} stops it for good.
 */
final class DemoChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoChildProcess.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private volatile boolean closed;
    private volatile Process process;
    private Duration pause = FIRST_PAUSE;

    private DemoChildProcess(String name, List<String> command, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /**
     * Starts the program, its output appended to {@code log}.
     *
     * @throws UncheckedIOException when it cannot be started at all
     */
    static DemoChildProcess start(String name, List<String> command, Map<String, String> environment, Path log) {
        DemoChildProcess child = new DemoChildProcess(name, command, environment, log);
        try {
            child.launch();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        return child;
    }

    /** Alive now; when not, its exit code. */
    Process process() {
        return process;
    }

    private synchronized void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process started = builder.start();
        process = started;
        started.onExit().thenAccept(this::exited);
    }

    private void exited(Process exited) {
        if (closed) {
            return;
        }
        Duration wait;
        synchronized (this) {
            wait = pause;
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        LOG.warnf("The demo's %s exited with %d; starting it again in %d s (see %s)", name, exited.exitValue(), wait.toSeconds(), log);
        CompletableFuture.runAsync(() -> {
            if (closed) {
                return;
            }
            try {
                launch();
                LOG.infof("The demo's %s runs again (pid %d)", name, process.pid());
            } catch (IOException e) {
                LOG.errorf("Could not start the demo's %s again: %s", name, e.getMessage());
            }
        }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Stops it for good: SIGTERM, and SIGKILL after 5 s. */
    @Override
    public void close() {
        close(() -> {
        });
    }

    /**
     * Stops it for good, first the program's own way ({@code graceful}, e.g. {@code pg_ctl stop -m fast}, which must not
     * throw), then SIGTERM and SIGKILL after 5 s for whatever is still running.
     */
    void close(Runnable graceful) {
        closed = true;
        graceful.run();
        Process current = process;
        if (current != null) {
            DemoProcesses.stop(current, 5);
        }
    }
}
