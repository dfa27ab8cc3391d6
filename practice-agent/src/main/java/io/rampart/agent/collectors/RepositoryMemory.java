package io.rampart.agent.collectors;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;

/**
 * What the agent remembers about one repository between runs, in {@code <agent home>/repositories/<check id>.properties}:
 * the outcome of the last repository check that ran (so that a check put off to stay out of the backup window can
 * still say how the last one went, and how long ago), and the restic/borg processes the agent started on it (pid
 * and start time), so that a lock left by one of them can be told apart from a lock of the practice's own backup
 * job. A damaged or missing file only costs that memory; it never stops a check.
 */
public final class RepositoryMemory {

    private static final Logger LOG = Logger.getLogger(RepositoryMemory.class.getName());
    /**
     * Enough to cover every run whose lock can still be in the repository: a round starts some five processes, and the
     * next round (15 min later by default) already removes a lock left by the one before.
     */
    private static final int KEPT_RUNS = 1000;
    private static final Duration KEPT_FOR = Duration.ofDays(30);

    private static final String CHECK_AT = "check.at";
    private static final String CHECK_PASSED = "check.passed";
    private static final String CHECK_FIRST_PROBLEM = "check.first-problem";
    private static final String CHECK_OUTPUT = "check.output";
    private static final String CHECK_READ_PERCENT = "check.read-percent";
    private static final String RUN = "run.";

    /** The last repository check that ran, as {@link RepositoryCheckReport} plus when it finished. */
    public record LastCheck(Instant at, RepositoryCheckReport report) {
    }

    /**
     * A restic or borg process the agent started on this repository.
     *
     * @param startedAt when the operating system says it started (the agent's clock when unknown)
     */
    public record StartedRun(long pid, Instant startedAt) {
    }

    private final Path file;

    private RepositoryMemory(Path file) {
        this.file = file;
    }

    /** The memory of the repository of check {@code checkId} (the repository check's id, also for its restore test). */
    public static RepositoryMemory of(AgentHome home, String checkId) {
        return new RepositoryMemory(home.directory().resolve("repositories").resolve(safe(checkId) + ".properties"));
    }

    public Optional<LastCheck> lastCheck() {
        Properties p = load();
        String at = p.getProperty(CHECK_AT);
        if (at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LastCheck(Instant.parse(at), new RepositoryCheckReport(Boolean.parseBoolean(p.getProperty(CHECK_PASSED)),
                    p.getProperty(CHECK_FIRST_PROBLEM, ""), p.getProperty(CHECK_OUTPUT, ""),
                    Double.parseDouble(p.getProperty(CHECK_READ_PERCENT, "0")))));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void rememberCheck(Instant at, RepositoryCheckReport report) {
        // one agent, several collectors (a repository check and its restore test) writing the same file
        synchronized (RepositoryMemory.class) {
            rememberCheckLocked(at, report);
        }
    }

    private void rememberCheckLocked(Instant at, RepositoryCheckReport report) {
        Properties p = load();
        p.setProperty(CHECK_AT, at.toString());
        p.setProperty(CHECK_PASSED, Boolean.toString(report.passed()));
        p.setProperty(CHECK_FIRST_PROBLEM, report.firstProblem());
        p.setProperty(CHECK_OUTPUT, report.output());
        p.setProperty(CHECK_READ_PERCENT, Double.toString(report.readPercent()));
        store(p);
    }

    /** Called as the tool starts, before it is waited for: if the agent dies meanwhile, the pid is still known. */
    public void rememberStarted(ProcessHandle process, Instant now) {
        synchronized (RepositoryMemory.class) {
            rememberStartedLocked(process, now);
        }
    }

    private void rememberStartedLocked(ProcessHandle process, Instant now) {
        Instant started = process.info().startInstant().orElse(now);
        Properties p = load();
        p.setProperty(RUN + process.pid() + "." + started.toEpochMilli(), started.toString());
        prune(p, now);
        store(p);
    }

    /**
     * What to give a repository tool as its start listener: remembers each process as it starts. Its end is not
     * needed: a lock is matched to the run by its pid and by a time between the start and the end of the run's time
     * limit ({@link RepositoryLocks}).
     */
    public java.util.function.Consumer<ProcessHandle> recorder(java.time.Clock clock) {
        return process -> rememberStarted(process, clock.instant());
    }

    /** Every process the agent started here and still remembers, oldest first. */
    public List<StartedRun> startedRuns() {
        Properties p = load();
        List<StartedRun> runs = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith(RUN)) {
                continue;
            }
            try {
                long pid = Long.parseLong(key.substring(RUN.length(), key.indexOf('.', RUN.length())));
                runs.add(new StartedRun(pid, Instant.parse(p.getProperty(key).strip())));
            } catch (RuntimeException e) {
                // a line the agent did not write: not one of ours
            }
        }
        runs.sort(Comparator.comparing(StartedRun::startedAt));
        return runs;
    }

    private static void prune(Properties p, Instant now) {
        List<String> keys = p.stringPropertyNames().stream().filter(k -> k.startsWith(RUN))
                .sorted(Comparator.comparing((String k) -> p.getProperty(k))).toList();
        for (int i = 0; i < keys.size(); i++) {
            String started = p.getProperty(keys.get(i)).strip();
            boolean old;
            try {
                old = Instant.parse(started).isBefore(now.minus(KEPT_FOR));
            } catch (DateTimeParseException e) {
                old = true;
            }
            if (old || keys.size() - i > KEPT_RUNS) {
                p.remove(keys.get(i));
            }
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warning("cannot read " + file + " (starting afresh): " + e);
            }
        }
        return p;
    }

    private void store(Properties p) {
        try {
            StringWriter text = new StringWriter();
            p.store(text, "Rampart agent: repository checks and the restic/borg processes it started (rewritten by the agent)");
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            LOG.warning("cannot write " + file + ": " + e);
        }
    }

    private static String safe(String checkId) {
        return checkId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
