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
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a tool (restic, borg, ...) with a time limit and captures what it printed. Secrets never go on the
 * command line: they are handed over in files or environment variables, and only the command line is ever
 * logged, never the environment.
 */
public final class ExternalCommand {

    private static final Logger LOG = Logger.getLogger(ExternalCommand.class.getName());
    /** More than any listing or check report we read; the rest is dropped rather than filling the heap. */
    private static final int MAX_CAPTURED_BYTES = 32 * 1024 * 1024;
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|sec|m|min|h|d)");

    private final List<String> command;
    private final Map<String, String> environment;
    private final List<String> removedVariablePrefixes;
    private final Path workingDirectory;
    private final Duration timeout;

    private ExternalCommand(List<String> command, Map<String, String> environment, List<String> removedVariablePrefixes,
            Path workingDirectory, Duration timeout) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.removedVariablePrefixes = List.copyOf(removedVariablePrefixes);
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
    }

    public static ExternalCommand of(List<String> command) {
        return new ExternalCommand(command, Map.of(), List.of(), null, Duration.ofMinutes(10));
    }

    /** Variables set for the tool only (passwords files, cache places); they are never logged. */
    public ExternalCommand environment(Map<String, String> variables) {
        return new ExternalCommand(command, variables, removedVariablePrefixes, workingDirectory, timeout);
    }

    /** Inherited variables starting with one of these (e.g. "RESTIC_") are removed so only ours count. */
    public ExternalCommand withoutInherited(String... prefixes) {
        return new ExternalCommand(command, environment, List.of(prefixes), workingDirectory, timeout);
    }

    public ExternalCommand workingDirectory(Path directory) {
        return new ExternalCommand(command, environment, removedVariablePrefixes, directory, timeout);
    }

    public ExternalCommand timeout(Duration limit) {
        return new ExternalCommand(command, environment, removedVariablePrefixes, workingDirectory, limit);
    }

    /** What the tool did: exit code and output, or that it ran out of time (then it was killed). */
    public record Outcome(int exitCode, String stdout, String stderr, boolean timedOut, Duration took) {

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
        // Nobody answers prompts: a tool that asks for input gets end-of-file at once.
        process.getOutputStream().close();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        boolean finished;
        try {
            finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IOException(command.get(0) + " was interrupted", e);
        }
        if (!finished) {
            LOG.warning(command.get(0) + " " + (command.size() > 1 ? command.get(1) : "") + " ran longer than " + timeout
                    + " and was stopped");
            kill(process);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new Outcome(finished ? process.exitValue() : -1, collect(stdout), collect(stderr), !finished, took);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
