package io.rampart.agent.schedule;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import io.rampart.agent.config.AtomicFile;

/**
 * What the running agent is checking right now, written to {@code running-checks.properties} in its home so that
 * {@code rampart-agent status} (another process) can show it: per check {@code <id>.since} (ISO-8601 UTC),
 * {@code <id>.state} ({@code running}, or {@code waiting} for a free thread) and {@code <id>.due-again} (how often
 * it came due meanwhile and was not started a second time), plus {@code written-at}.
 */
public final class RunningChecks {

    /**
     * One check run not finished yet.
     *
     * @param since    when it started (running) or was queued (waiting)
     * @param running  false while it waits for a free check thread
     * @param dueAgain how many times it came due again meanwhile (each time, not started twice)
     */
    public record Run(String checkId, Instant since, boolean running, int dueAgain) {
    }

    /** The runs and when the agent wrote them (empty when the agent is not running or never wrote it). */
    public record Snapshot(Optional<Instant> writtenAt, List<Run> runs) {
    }

    private RunningChecks() {
    }

    /** Replaces the file with these runs. */
    public static void write(Path file, Instant now, List<Run> runs) {
        Properties p = new Properties();
        p.setProperty("written-at", now.toString());
        for (Run run : runs) {
            p.setProperty(run.checkId() + ".since", run.since().toString());
            p.setProperty(run.checkId() + ".state", run.running() ? "running" : "waiting");
            p.setProperty(run.checkId() + ".due-again", Integer.toString(run.dueAgain()));
        }
        try {
            StringWriter text = new StringWriter();
            p.store(text, "Rampart agent: checks running now (rewritten by the running agent)");
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removed when the agent stops, so a stopped agent shows nothing running. */
    public static void clear(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // status then shows the last runs with the time they were written
        }
    }

    public static Snapshot read(Path file) {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            return new Snapshot(Optional.empty(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Run> runs = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.endsWith(".since")) {
                continue;
            }
            String checkId = key.substring(0, key.length() - ".since".length());
            instant(p.getProperty(key)).ifPresent(since -> runs.add(new Run(checkId, since,
                    !"waiting".equals(p.getProperty(checkId + ".state")), parseInt(p.getProperty(checkId + ".due-again")))));
        }
        runs.sort(Comparator.comparing(Run::since).thenComparing(Run::checkId));
        return new Snapshot(instant(p.getProperty("written-at")), runs);
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static int parseInt(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
