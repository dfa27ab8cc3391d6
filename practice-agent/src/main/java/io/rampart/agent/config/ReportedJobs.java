package io.rampart.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The last thing third-party software said about each of its jobs through {@code rampart-agent report},
 * kept in the agent home ({@code reported-jobs.properties}, lines {@code <check>.status|at|software|message})
 * so the running agent can tell silence from success. Written by the report command, read by the agent.
 */
public final class ReportedJobs {

    public static final String FILE = "reported-jobs.properties";

    /** What a job can report, as typed on the command line. */
    public enum Outcome {
        OK, WARN, FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Outcome> parse(String word) {
            for (Outcome outcome : values()) {
                if (outcome.word().equals(word == null ? "" : word.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(outcome);
                }
            }
            return Optional.empty();
        }
    }

    public record Report(String checkId, Outcome outcome, Instant at, String software, String message) {
    }

    private final Path file;

    private ReportedJobs(Path file) {
        this.file = file;
    }

    public static ReportedJobs in(AgentHome home) {
        return new ReportedJobs(home.directory().resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** The last report for the check, if the job ever reported. */
    public Optional<Report> last(String checkId) {
        Properties p = load();
        Optional<Outcome> outcome = Outcome.parse(p.getProperty(checkId + ".status"));
        Optional<Instant> at = instant(p.getProperty(checkId + ".at"));
        if (outcome.isEmpty() || at.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Report(checkId, outcome.get(), at.get(), p.getProperty(checkId + ".software", ""),
                p.getProperty(checkId + ".message", "")));
    }

    /** Replaces the check's last report; reports of other checks, perhaps written at the same moment, stay. */
    public void record(Report report) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // several post-job scripts may report at once: read-modify-write under a lock
            Path lockFile = file.resolveSibling("." + FILE + ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                // made by whoever reported first (often root): the next reporter and the service must open it too
                FileOwner.of(lockFile.getParent()).adopt(lockFile);
                Properties p = load();
                String key = report.checkId() + ".";
                p.setProperty(key + "status", report.outcome().word());
                p.setProperty(key + "at", report.at().toString());
                p.setProperty(key + "software", report.software());
                p.setProperty(key + "message", report.message());
                StringWriter text = new StringWriter();
                p.store(text, "Rampart: the last report of each job (rampart-agent report)");
                AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (!Files.exists(file)) {
            return p;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return p;
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
