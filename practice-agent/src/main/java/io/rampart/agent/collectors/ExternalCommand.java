package io.rampart.agent.collectors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a tool (restic, borg, ...) with a time limit and captures what it printed. Secrets never go on the
 * command line: they are handed over in files or environment variables, and only the command line is ever
 * logged, never the environment.
 *
 * <p>A tool that runs past its time limit is stopped gently, so that it can remove the repository lock it holds:
 * SIGINT first (restic and borg run their clean-up, which removes their lock, on SIGINT; restic before 0.17 does
 * not on SIGTERM, see restic's cmd/restic/cleanup.go and its changelog entry #4703), SIGTERM after
 * {@link #DEFAULT_INTERRUPT_GRACE}, SIGKILL only after a further {@link #DEFAULT_TERMINATE_GRACE}. Each signal
 * goes to the whole process tree the tool started (a wrapper script and its children). Java has no API for
 * SIGINT, so it is sent with {@code kill -INT <pid>...}; where that is not available (Windows) the first step is
 * the platform's normal termination.
 */
public final class ExternalCommand {

    private static final Logger LOG = Logger.getLogger(ExternalCommand.class.getName());
    /** More than any listing or check report we read; the rest is dropped rather than filling the heap. */
    private static final int MAX_CAPTURED_BYTES = 32 * 1024 * 1024;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|sec|m|min|h|d)");
    /** How long a tool has to clean up (remove its lock, also on a remote backend) after SIGINT. */
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(60);
    /** How long a tool that ignored SIGINT has after SIGTERM before it is killed. */
    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(30);

    private final List<String> command;
    private final Map<String, String> environment;
    private final List<String> removedVariablePrefixes;
    private final Path workingDirectory;
    private final Duration timeout;
    private final Duration interruptGrace;
    private final Duration terminateGrace;
    private final Consumer<ProcessHandle> onStarted;
    private Input input;

    /**
     * Writes what the tool reads on its standard input (e.g. a file the agent reads and paces itself). It runs on
     * its own thread, so the time limit holds even when the tool stops reading; the stream it is given is closed
     * after it returns. What it throws is its own to keep (the tool then just sees end-of-file or a broken pipe).
     */
    @FunctionalInterface
    public interface Input {
        void writeTo(java.io.OutputStream toTool) throws IOException;
    }

    private ExternalCommand(List<String> command, Map<String, String> environment, List<String> removedVariablePrefixes,
            Path workingDirectory, Duration timeout, Duration interruptGrace, Duration terminateGrace,
            Consumer<ProcessHandle> onStarted) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.removedVariablePrefixes = List.copyOf(removedVariablePrefixes);
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
        this.interruptGrace = interruptGrace;
        this.terminateGrace = terminateGrace;
        this.onStarted = onStarted;
    }

    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(command, Map.of(), List.of(), null, Duration.ofMinutes(10), DEFAULT_INTERRUPT_GRACE,
                DEFAULT_TERMINATE_GRACE, started -> {});
    }

    /** Variables set for the tool only (passwords files, cache places); they are never logged. */
    public ExternalCommand environment(Map<String, String> variables) {
        return keepInput(new ExternalCommand(command, variables, removedVariablePrefixes, workingDirectory, timeout, interruptGrace,
                terminateGrace, onStarted));
    }

    /** Inherited variables starting with one of these (e.g. "RESTIC_") are removed so only ours count. */
    public ExternalCommand withoutInherited(String... prefixes) {
        return keepInput(new ExternalCommand(command, environment, List.of(prefixes), workingDirectory, timeout, interruptGrace,
                terminateGrace, onStarted));
    }

    public ExternalCommand workingDirectory(Path directory) {
        return keepInput(new ExternalCommand(command, environment, removedVariablePrefixes, directory, timeout, interruptGrace,
                terminateGrace, onStarted));
    }

    public ExternalCommand timeout(Duration limit) {
        return keepInput(new ExternalCommand(command, environment, removedVariablePrefixes, workingDirectory, limit, interruptGrace,
                terminateGrace, onStarted));
    }

    /**
     * How a tool past its time limit is stopped: SIGINT, then SIGTERM after {@code afterInterrupt}, then SIGKILL
     * after a further {@code afterTerminate}. Defaults: {@link #DEFAULT_INTERRUPT_GRACE}, {@link #DEFAULT_TERMINATE_GRACE}.
     */
    public ExternalCommand stopGraces(Duration afterInterrupt, Duration afterTerminate) {
        return keepInput(new ExternalCommand(command, environment, removedVariablePrefixes, workingDirectory, timeout, afterInterrupt,
                afterTerminate, onStarted));
    }

    /**
     * Told the started process before the command is waited for, e.g. to remember its pid: a repository lock the
     * tool leaves behind is Rampart's own only when Rampart knows it started that process.
     */
    public ExternalCommand onStarted(Consumer<ProcessHandle> listener) {
        return keepInput(new ExternalCommand(command, environment, removedVariablePrefixes, workingDirectory, timeout, interruptGrace,
                terminateGrace, listener));
    }

    private ExternalCommand keepInput(ExternalCommand changed) {
        changed.input = input;
        return changed;
    }

    /** Feeds the tool's standard input from {@code feeder} instead of closing it at once (see {@link Input}). */
    public ExternalCommand input(Input feeder) {
        ExternalCommand fed = new ExternalCommand(command, environment, removedVariablePrefixes, workingDirectory, timeout, interruptGrace,
                terminateGrace, onStarted);
        fed.input = feeder;
        return fed;
    }

    /** The signal that finally stopped a tool that ran past its time limit. */
    public enum Stop {
        /** It finished by itself. */
        NONE,
        /** It ended after SIGINT (restic and borg remove their lock then). */
        INTERRUPTED,
        /** It ignored SIGINT and ended after SIGTERM. */
        TERMINATED,
        /** It ignored SIGINT and SIGTERM and was killed with SIGKILL: a lock it held is left behind. */
        KILLED
    }

    /**
     * What the tool did: exit code and output, or that it ran out of time (then it was stopped, see {@code stop}).
     *
     * @param pid  the process id of the tool as started (0 when not known)
     * @param stop how it was stopped when it ran past its time limit ({@link Stop#NONE} when it was not)
     */
    public record Outcome(int exitCode, String stdout, String stderr, boolean timedOut, Duration took, long pid, Stop stop) {

        public Outcome(int exitCode, String stdout, String stderr, boolean timedOut, Duration took) {
            this(exitCode, stdout, stderr, timedOut, took, 0, Stop.NONE);
        }

        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** Both streams, standard output first. */
        public String output() {
            if (stdout.isEmpty()) {
                return stderr;
            }
            return stderr.isEmpty() ? stdout : stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
        }
    }

    /** The program could not be started at all: not installed, or not where the settings say. */
    public static final class NotInstalledException extends IOException {
        private static final long serialVersionUID = 1L;

        NotInstalledException(String program, IOException cause) {
            super(program + " cannot be started: " + cause.getMessage(), cause);
        }
    }

    public Outcome run() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> removedVariablePrefixes.stream().anyMatch(name::startsWith));
        env.putAll(environment);
        LOG.fine(() -> "running " + String.join(" ", command) + " (time limit " + timeout + ")");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new NotInstalledException(command.get(0), e);
        }
        onStarted.accept(process.toHandle());
        Thread feeding = null;
        if (input == null) {
            // Nobody answers prompts: a tool that asks for input gets end-of-file at once.
            process.getOutputStream().close();
        } else {
            feeding = feed(process, input);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // the agent is shutting down: the tool still gets its graces to remove its lock (the flag is set again after)
            Thread.interrupted();
            ProcessTreeStop.stop(process, interruptGrace, terminateGrace);
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " was interrupted", e);
        }
        Stop stop = Stop.NONE;
        if (!finished) {
            stop = ProcessTreeStop.stop(process, interruptGrace, terminateGrace);
            LOG.warning(command.get(0) + " " + (command.size() > 1 ? command.get(1) : "") + " ran longer than " + timeout
                    + " and was stopped (" + stop + ")");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (feeding != null) {
            try {
                // the tool has ended, so a feeder blocked on the pipe gets a broken pipe and returns
                feeding.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Outcome(finished ? process.exitValue() : -1, collect(stdout), collect(stderr), !finished, took, process.pid(),
                stop);
    }

    private static Thread feed(Process process, Input input) {
        Thread feeder = new Thread(() -> {
            try (java.io.OutputStream toTool = process.getOutputStream()) {
                input.writeTo(toTool);
            } catch (IOException | RuntimeException e) {
                // the feeder keeps what it needs to know; the tool sees end-of-file
            }
        }, "external-command-input");
        feeder.setDaemon(true);
        feeder.start();
        return feeder;
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = stream.read(buffer)) >= 0) {
                    int room = MAX_CAPTURED_BYTES - kept.size();
                    kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                }
                text.complete(kept.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "external-command-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static String collect(CompletableFuture<String> text) {
        try {
            return text.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // the stream broke when the process was killed: there is nothing more to read
            return "";
        } catch (TimeoutException e) {
            // a grandchild still holds the pipe open; do not wait for it
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The lines of a tool's output that say something: no progress bars, blank lines or lines matching boilerplate. */
    public static List<String> meaningfulLines(String output, Pattern boilerplate) {
        List<String> lines = new ArrayList<>();
        for (String raw : output.split("\\R")) {
            String line = raw.strip();
            // progress lines ("[0:00] 100.00%  2 / 2 snapshots") and carriage-return redraws
            int cr = line.lastIndexOf('\r');
            if (cr >= 0) {
                line = line.substring(cr + 1).strip();
            }
            if (line.isEmpty() || line.startsWith("[") || (boilerplate != null && boilerplate.matcher(line).matches())) {
                continue;
            }
            lines.add(line);
        }
        return lines;
    }

    /** A time limit as a person writes it in checks.properties: "90 min", "6h", "30s", "2d". */
    public static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s", "sec" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        }).filter(d -> !d.isZero());
    }
}
