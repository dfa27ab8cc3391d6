package io.rampart.agent.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs checks on a bounded pool of threads of their own, so a check that takes hours (a full read-back, a restore
 * test, a {@code borg check}) never delays heartbeats, delivery, configuration refresh, certificate renewal, or
 * checks with other ids. At most one run per check id is queued or running at a time: a check still running when it
 * comes due again is not started a second time, and that is counted ({@link RunningChecks.Run#dueAgain()}) and
 * written for {@code rampart-agent status}.
 */
public final class CheckRuns implements AutoCloseable {

    /** Checks that may run side by side; more wait for a free thread (each check id once). */
    public static final int DEFAULT_THREADS = 4;

    private static final Logger LOG = Logger.getLogger(CheckRuns.class.getName());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final ExecutorService pool;
    private final Clock clock;
    private final Path statusFile;
    private final Map<String, Entry> runs = new ConcurrentHashMap<>();

    private static final class Entry {
        volatile Instant since;
        volatile boolean running;
        final AtomicInteger dueAgain = new AtomicInteger();

        Entry(Instant since) {
            this.since = since;
        }
    }

    /**
     * @param threads    how many checks may run at once
     * @param statusFile where the runs are written for the status command ({@code running-checks.properties})
     */
    public CheckRuns(int threads, Clock clock, Path statusFile) {
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "rampart-agent-check-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.clock = clock;
        this.statusFile = statusFile;
        RunningChecks.clear(statusFile);
    }

    /**
     * Queues a run of {@code checkId} on the pool unless one is still queued or running. Returns at once; whether a
     * run was queued (false: the earlier run goes on, and this due time is counted as skipped).
     */
    public boolean start(String checkId, Runnable work) {
        Entry entry = claim(checkId);
        if (entry == null) {
            return false;
        }
        try {
            pool.execute(() -> run(checkId, entry, work));
        } catch (RejectedExecutionException e) {
            release(checkId, entry); // closing
            return false;
        }
        return true;
    }

    /** Runs {@code checkId} in the calling thread unless a run of it is queued or running; whether it ran. */
    public boolean runHere(String checkId, Runnable work) {
        Entry entry = claim(checkId);
        if (entry == null) {
            return false;
        }
        run(checkId, entry, work);
        return true;
    }

    /** The runs not finished yet, oldest first. */
    public List<RunningChecks.Run> unfinished() {
        return runs.entrySet().stream()
                .map(e -> new RunningChecks.Run(e.getKey(), e.getValue().since, e.getValue().running, e.getValue().dueAgain.get()))
                .sorted(java.util.Comparator.comparing(RunningChecks.Run::since).thenComparing(RunningChecks.Run::checkId))
                .toList();
    }

    /** Stops the pool; a check still running is interrupted (its tool is stopped), its result is not reported. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RunningChecks.clear(statusFile);
    }

    private Entry claim(String checkId) {
        Entry fresh = new Entry(clock.instant());
        Entry earlier = runs.putIfAbsent(checkId, fresh);
        if (earlier != null) {
            int times = earlier.dueAgain.incrementAndGet();
            LOG.warning("check " + checkId + " is due again but its run " + (earlier.running ? "started at " : "queued at ") + earlier.since
                    + " has not finished: not started twice (" + times + (times == 1 ? " time" : " times") + " so far)");
            publish();
            return null;
        }
        publish();
        return fresh;
    }

    private void run(String checkId, Entry entry, Runnable work) {
        entry.since = clock.instant();
        entry.running = true;
        publish();
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "check " + checkId + " failed to run", e);
        } finally {
            release(checkId, entry);
        }
    }

    private void release(String checkId, Entry entry) {
        runs.remove(checkId, entry);
        publish();
    }

    private synchronized void publish() {
        try {
            RunningChecks.write(statusFile, clock.instant(), unfinished());
        } catch (RuntimeException e) {
            LOG.fine(() -> "cannot write " + statusFile + ": " + e);
        }
    }
}
