package io.rampart.agent.collectors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rampart.agent.config.BackupWindow;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.RepositoryCheckRun;
import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/**
 * One round of the repository check as a repository collector runs it, so that Rampart never breaks the backups
 * it watches: look at the repository's locks first (removing only stale ones of the agent's own), then run the
 * tool's check (which locks the repository) only outside the practice's backup window, only when its time limit
 * ends before the window opens ({@link RepositoryCheckSchedule}) and only when no other process holds the
 * repository. When it does not run, the last check's outcome is reported with its age ({@link RepositoryMemory}).
 */
final class RepositoryCheckRound {

    /**
     * What the round found.
     *
     * @param report    the check that ran now, or the last one that ran (empty when none ever ran and it did not run now)
     * @param lastAt    when {@code report}'s check finished
     * @param words     what to add to the summary about the check and the locks ("" when the check ran and nothing
     *                  else needs saying)
     * @param problems  what the practice must act on (a stale lock of someone else's, a failed last check)
     * @param warnings  what it should know (the check can never fit outside the backup window)
     */
    record Outcome(Optional<RepositoryCheckReport> report, Optional<Instant> lastAt, boolean ranNow, List<String> words,
            List<String> problems, List<String> warnings) {
    }

    /** Finds and tidies the repository's locks; empty when the tool or the repository's place cannot tell. */
    @FunctionalInterface
    interface Locks {
        List<RepositoryLock> inspectAndTidy(Instant now) throws RepositoryProblem;
    }

    /**
     * Longer than this since the last repository check that ran, and a deferred check warns: a daily check put off by
     * one night's backup window runs the next morning, so two days means something keeps it from running.
     */
    static final Duration MAX_UNCHECKED = Duration.ofDays(2);

    private RepositoryCheckRound() {
    }

    static Outcome run(String tool, RepositoryTool repository, double readDataPercent, RepositoryMemory memory, Locks locks,
            BackupWindow window, Clock clock, RepositoryObservation.Builder observation) throws RepositoryProblem {
        Instant now = clock.instant();
        List<String> words = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<RepositoryLock> seen = locks.inspectAndTidy(now);
        observation.addAllLocks(seen);
        describeLocks(tool, seen, now, words, problems);

        ZonedDateTime local = now.atZone(clock.getZone());
        Duration limit = repository.binding().timeout();
        RepositoryCheckSchedule.Decision decision = RepositoryCheckSchedule.decide(window, local, limit);
        // the check takes an exclusive lock: any lock still there (in use, or stale and someone else's) refuses it
        List<RepositoryLock> blocking = seen.stream().filter(lock -> !lock.getRemoved()).toList();
        String because = decision.because();
        if (decision.now() && !blocking.isEmpty()) {
            RepositoryLock holder = blocking.get(0);
            because = "the repository is locked by PID " + holder.getPid() + " on host " + holder.getHostname()
                    + (holder.getState() == RepositoryLockState.REPOSITORY_LOCK_STATE_IN_USE ? ": a backup running?" : ", a stale lock");
        }
        if (decision.now() && blocking.isEmpty()) {
            RepositoryCheckReport report;
            try {
                report = repository.check(readDataPercent);
            } catch (RepositoryProblem e) {
                // a check stopped at its time limit removes its lock on SIGINT; one that had to be killed left it
                tidyAfter(locks, clock);
                throw e;
            }
            Instant at = clock.instant();
            memory.rememberCheck(at, report);
            observation.setCheckRun(RepositoryCheckRun.REPOSITORY_CHECK_RUN_RAN).setLastCheckAt(ProtoTime.timestamp(at));
            return new Outcome(Optional.of(report), Optional.of(at), true, words, problems, warnings);
        }

        Optional<RepositoryMemory.LastCheck> last = memory.lastCheck();
        observation.setCheckDeferredBecause(because);
        last.ifPresent(l -> observation.setLastCheckAt(ProtoTime.timestamp(l.at())));
        String lastWords = last.map(l -> "last check " + (l.report().passed() ? "passed" : "failed") + " "
                + HumanDuration.of(Duration.between(l.at(), now)) + " ago").orElse("no repository check has run yet");
        if (decision.neverFits()) {
            observation.setCheckRun(RepositoryCheckRun.REPOSITORY_CHECK_RUN_NEVER_FITS);
            warnings.add("the repository check never runs: " + because + " (shorten "
                    + io.rampart.agent.config.LocalChecks.propertyFor(repository.binding().checkId(), RepositoryBinding.TIMEOUT)
                    + " or the backup window)");
            words.add(lastWords);
        } else {
            observation.setCheckRun(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
            decision.runsAt().ifPresent(at -> observation.setCheckDeferredUntil(ProtoTime.timestamp(at.toInstant())));
            String when = decision.now() ? "to the next round" : "until " + decision.when(local);
            words.add("repository check deferred " + when + " (" + because + "); " + lastWords);
            // a lock nobody releases (a forgotten restic mount) must not keep an old verdict alive for ever
            String why = because;
            last.filter(l -> Duration.between(l.at(), now).compareTo(MAX_UNCHECKED) > 0).ifPresent(l -> warnings.add(
                    "the repository has not been checked for " + HumanDuration.of(Duration.between(l.at(), now)) + " (" + why + ")"));
        }
        last.filter(l -> !l.report().passed()).ifPresent(l -> problems.add(tool + " check failed "
                + HumanDuration.of(Duration.between(l.at(), now)) + " ago: " + l.report().firstProblem()));
        return new Outcome(last.map(RepositoryMemory.LastCheck::report), last.map(RepositoryMemory.LastCheck::at), false, words,
                problems, warnings);
    }

    private static void describeLocks(String tool, List<RepositoryLock> seen, Instant now, List<String> words, List<String> problems) {
        for (RepositoryLock lock : seen) {
            if (lock.getState() == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OTHER) {
                problems.add(RepositoryLocks.describe(tool, lock, now));
            } else if (lock.getState() == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OURS) {
                words.add(lock.getRemoved() ? "removed a stale lock that the agent's own " + tool + " (PID " + lock.getPid()
                        + ") left behind"
                        : "a stale " + tool + " lock of the agent's own " + tool + " (PID " + lock.getPid()
                                + ") could not be removed: run " + tool + (tool.equals("restic") ? " unlock" : " break-lock <repository>"));
            }
        }
    }

    private static void tidyAfter(Locks locks, Clock clock) {
        try {
            locks.inspectAndTidy(clock.instant());
        } catch (RepositoryProblem e) {
            // the next round looks again
        }
    }
}
