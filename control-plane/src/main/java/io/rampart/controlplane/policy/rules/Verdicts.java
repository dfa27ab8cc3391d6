package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.RepositoryCheckRun;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/** Shared pieces of rule logic. */
final class Verdicts {

    /** How far ahead of the control plane's clock a backup may be dated before it is a clock problem (as the agent's FutureDates). */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(10);
    /** Longer than this since a deferred repository check last ran is AT_RISK (as the agent's RepositoryCheckRound). */
    static final Duration MAX_UNCHECKED = Duration.ofDays(2);
    /** How long a folder's fingerprint read-back may leave a file unread before the rule says the read-back falls behind. */
    static final Duration MAX_UNREAD_BACK = Duration.ofDays(31);

    private Verdicts() {
    }

    /** PASS up to and including the limit, AT_RISK up to and including limit + grace, FAIL after. */
    static PracticeStatus grade(Duration value, Duration limit, Duration grace) {
        if (value.compareTo(limit) <= 0) {
            return PracticeStatus.PASS;
        }
        return value.compareTo(limit.plus(grace)) <= 0 ? PracticeStatus.AT_RISK : PracticeStatus.FAIL;
    }

    /**
     * The worst of several partial verdicts: when all pass, every reason; otherwise the reasons of
     * the parts that do not pass, worst first.
     */
    static RuleVerdict combine(String ruleId, List<RuleVerdict> parts) {
        if (parts.isEmpty()) {
            return RuleVerdict.noData(ruleId);
        }
        PracticeStatus worst = parts.stream().map(RuleVerdict::status).reduce(PracticeStatus.PASS, PracticeStatus::worse);
        List<RuleVerdict> shown = worst == PracticeStatus.PASS ? parts
                : parts.stream().filter(p -> p.status() != PracticeStatus.PASS)
                        .sorted(Comparator.comparing(RuleVerdict::status).reversed()).toList();
        return new RuleVerdict(ruleId, worst, shown.stream().map(RuleVerdict::reason).distinct().collect(Collectors.joining("; ")));
    }

    /**
     * How fresh the newest copy seen by one check is (a folder of backup files, a restic/borg
     * repository or a job reported by third-party software), and whether the check found it
     * damaged. A check that could not run fails. A failure the agent reports for another reason
     * (e.g. a suddenly much smaller backup) fails the rule when the copy is otherwise fresh.
     */
    static RuleVerdict freshness(String ruleId, String what, CheckEvidence check, Duration maxAge, Duration grace, Instant now) {
        RuleVerdict verdict = freshnessOfNewest(ruleId, what, check, maxAge, grace, now);
        if (check.result().getFutureDatedCount() == 0) {
            return verdict;
        }
        // the agent left them out of "newest"; the host that dated them has a clock problem a person must fix
        FutureDatedItem first = check.result().getFutureDated(0);
        int more = check.result().getFutureDatedCount() - 1;
        Instant seenAt = first.hasSeenAt() ? Texts.instant(first.getSeenAt()) : check.observedAt();
        String clockProblem = "clock problem on the backup host: " + first.getName() + " is dated " + Texts.date(Texts.instant(first.getDatedAt()))
                + ", " + Texts.span(Duration.between(seenAt, Texts.instant(first.getDatedAt()))) + " ahead"
                + (more > 0 ? " (and " + more + " more)" : "") + "; not counted as fresh";
        // how fresh the honest copies are comes first; the clock problem makes it at least AT_RISK
        return new RuleVerdict(ruleId, verdict.status().worse(PracticeStatus.AT_RISK), verdict.reason() + "; " + clockProblem);
    }

    /**
     * The freshness of the newest copy the agent reported. A newest copy dated in the future (by an agent
     * that did not set it aside itself) says nothing about how fresh the backups are: it fails.
     */
    private static RuleVerdict freshnessOfNewest(String ruleId, String what, CheckEvidence check, Duration maxAge, Duration grace,
            Instant now) {
        CheckResult result = check.result();
        if (check.failedToRun()) {
            return RuleVerdict.fail(ruleId, "the " + what + " check could not run: " + result.getSummary());
        }
        Optional<RuleVerdict> openRun = JobRuns.judge(ruleId, what, result, now);
        if (openRun.isPresent()) {
            // a run a start ping opened: hung once past its expected run time, whatever the runs before it did
            return openRun.get();
        }
        if (result.getKind() == CheckKind.CHECK_KIND_REPORTED_JOB && result.getStatus() == CheckStatus.CHECK_STATUS_FAIL
                && !result.getJobReport().hasFinishedAt()) {
            // no job has reported yet: not a job that failed, but a post-job script someone still has to add (the agent's
            // summary says how, after its own "never reported: ")
            return RuleVerdict.fail(ruleId, "no " + what + " job has reported yet: " + result.getSummary().replaceFirst("^never reported: ", ""));
        }
        Instant newest;
        switch (result.getDetailsCase()) {
            case BACKUP_FOLDER -> {
                BackupFolderObservation folder = result.getBackupFolder();
                if (folder.getNewestFile().isEmpty() || !folder.hasNewestModifiedAt()) {
                    // agents keep their paths to themselves unless told otherwise: name the folder only when known
                    return RuleVerdict.fail(ruleId, "no " + what + " found" + (folder.getPath().isEmpty() ? "" : " in " + folder.getPath()));
                }
                int unreadable = folder.getReadBack().getUnreadableFilesCount();
                if (unreadable > 0 && folder.getReadBack().getUnreadableCount() > 0) {
                    // the agent's own words for the first file, e.g. "damaged zip archive: entry 'scans/0042.pdf' fails its CRC-32"
                    var first = folder.getReadBack().getUnreadable(0);
                    return RuleVerdict.fail(ruleId, what + " unreadable: " + first.getFile() + " (" + first.getReason() + ")"
                            + (unreadable > 1 ? " and " + (unreadable - 1) + " more" : ""));
                }
                if (unreadable > 0) {
                    // events of agents that reported no reasons
                    return RuleVerdict.fail(ruleId, unreadable + " " + what + " file" + (unreadable == 1 ? "" : "s")
                            + " unreadable or not matching their checksum (e.g. " + folder.getReadBack().getUnreadableFiles(0) + ")");
                }
                newest = Texts.instant(folder.getNewestModifiedAt());
            }
            case REPOSITORY -> {
                RepositoryObservation repository = result.getRepository();
                if (repository.getSnapshotCount() == 0 || !repository.hasLatestSnapshotAt()) {
                    return RuleVerdict.fail(ruleId, "no " + what + " snapshot in the repository");
                }
                // a check put off to stay out of the backup window carries the last one that ran; with none, no verdict
                boolean deferred = repository.getCheckRun() == RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED
                        || repository.getCheckRun() == RepositoryCheckRun.REPOSITORY_CHECK_RUN_NEVER_FITS;
                if (!repository.getCheckPassed() && (!deferred || repository.hasLastCheckAt())) {
                    return RuleVerdict.fail(ruleId, "the " + what + " repository check failed");
                }
                Optional<RuleVerdict> size = RepositorySizeVerdict.judge(ruleId, result);
                if (size.isPresent()) {
                    return size.get();
                }
                newest = Texts.instant(repository.getLatestSnapshotAt());
            }
            case JOB_REPORT -> {
                if (result.getStatus() == CheckStatus.CHECK_STATUS_FAIL) {
                    // an agent that could not read the job log reports no software or message, only its summary
                    String software = result.getJobReport().getSoftware();
                    String message = result.getJobReport().getMessage();
                    return RuleVerdict.fail(ruleId, "the last " + what + " job" + (software.isEmpty() ? "" : " (" + software + ")") + " failed: "
                            + (message.isEmpty() ? result.getSummary() : message));
                }
                newest = result.getJobReport().hasFinishedAt() ? Texts.instant(result.getJobReport().getFinishedAt()) : check.observedAt();
            }
            default -> {
                if (result.getStatus() != CheckStatus.CHECK_STATUS_PASS && result.getStatus() != CheckStatus.CHECK_STATUS_WARN) {
                    return RuleVerdict.fail(ruleId, "the " + what + " check failed: " + result.getSummary());
                }
                newest = check.observedAt();
            }
        }
        if (newest.isAfter(now.plus(CLOCK_TOLERANCE))) {
            return RuleVerdict.fail(ruleId, "the newest " + what + " is dated " + Texts.date(newest) + ", " + Texts.span(Duration.between(now, newest))
                    + " in the future: a clock problem on the backup host, so how old the backups really are is unknown");
        }
        Duration age = Duration.between(newest, now);
        PracticeStatus status = grade(age, maxAge, grace);
        if (status == PracticeStatus.PASS && result.getStatus() == CheckStatus.CHECK_STATUS_FAIL) {
            return RuleVerdict.fail(ruleId, "the " + what + " check failed: " + result.getSummary());
        }
        if (status == PracticeStatus.PASS && result.getRepository().getCheckRun() == RepositoryCheckRun.REPOSITORY_CHECK_RUN_NEVER_FITS) {
            // damage would go unseen: someone must shorten the check's time limit or the backup window
            return new RuleVerdict(ruleId, PracticeStatus.AT_RISK, "the " + what + " repository check never runs: "
                    + result.getRepository().getCheckDeferredBecause());
        }
        RepositoryObservation repository = result.getRepository();
        if (status == PracticeStatus.PASS && repository.getCheckRun() == RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED
                && repository.hasLastCheckAt()
                && Duration.between(Texts.instant(repository.getLastCheckAt()), now).compareTo(MAX_UNCHECKED) > 0) {
            // a check that keeps being put off (a lock nobody releases) must not keep an old verdict alive for ever
            return new RuleVerdict(ruleId, PracticeStatus.AT_RISK, "the " + what + " repository has not been checked for "
                    + Texts.span(Duration.between(Texts.instant(repository.getLastCheckAt()), now)) + " ("
                    + repository.getCheckDeferredBecause() + ")");
        }
        if (status == PracticeStatus.PASS && result.getDetailsCase() == CheckResult.DetailsCase.BACKUP_FOLDER
                && result.getBackupFolder().getReadBack().getFingerprints()) {
            Optional<RuleVerdict> coverage = readBackCoverage(ruleId, what, result.getBackupFolder().getReadBack(), now);
            if (coverage.isPresent()) {
                return coverage.get();
            }
        }
        return new RuleVerdict(ruleId, status, "last " + what + " " + Texts.span(age) + " ago (limit " + Texts.span(maxAge) + ")");
    }

    /**
     * A read-back by the agent's own fingerprints that has verified nothing is no assurance: AT_RISK when no file has
     * been read back yet (every run so far fell in the backup window, or the budget never reached one), or when the
     * least recently read file was last read more than {@link #MAX_UNREAD_BACK} ago. Empty when it keeps up.
     */
    static Optional<RuleVerdict> readBackCoverage(String ruleId, String what, io.rampart.protocol.agent.v1.ReadBack readBack, Instant now) {
        if (!readBack.hasOldestVerifiedAt()) {
            return Optional.of(new RuleVerdict(ruleId, PracticeStatus.AT_RISK, "the " + what + " has not been read back yet: "
                    + readBack.getFilesAwaitingFingerprint() + " backup file" + (readBack.getFilesAwaitingFingerprint() == 1 ? "" : "s")
                    + " not fingerprinted (the agent reads outside the backup window, within the check's daily read-back budget)"));
        }
        Duration since = Duration.between(Texts.instant(readBack.getOldestVerifiedAt()), now);
        if (since.compareTo(MAX_UNREAD_BACK) > 0) {
            return Optional.of(new RuleVerdict(ruleId, PracticeStatus.AT_RISK, "some " + what + " files were last read back "
                    + Texts.span(since) + " ago: raise the check's read-back hours or MB/s so the agent re-reads the folder more often"));
        }
        return Optional.empty();
    }
}
