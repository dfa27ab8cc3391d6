package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.JobReport;

/**
 * A job's run that a start ping opened (JobReport.started_at, from /ping/&lt;id&gt;/start) and no success or fail
 * closed: still within its expected run time (JobReport.max_run_time), or hung. A run killed after its start (kill -9
 * of borgmatic, a machine that went down) sends nothing more, so this is the only sign of it.
 */
final class JobRuns {

    /** The expected run time when the job's check sets none (as PingRuns.DEFAULT_MAX_RUN_TIME). */
    static final Duration DEFAULT_MAX_RUN_TIME = Duration.ofHours(6);

    private JobRuns() {
    }

    /**
     * @return FAIL when the open run is older than its expected run time; UNKNOWN ("still running", never PASS) when it
     *         is the job's first run and still within it; empty when no run is open or an earlier finish still speaks
     *         for the job
     */
    static Optional<RuleVerdict> judge(String ruleId, String what, CheckResult result, Instant now) {
        if (result.getDetailsCase() != CheckResult.DetailsCase.JOB_REPORT || !result.getJobReport().hasStartedAt()) {
            return Optional.empty();
        }
        JobReport job = result.getJobReport();
        Instant started = Texts.instant(job.getStartedAt());
        if (job.hasFinishedAt() && !Texts.instant(job.getFinishedAt()).isBefore(started)) {
            return Optional.empty();
        }
        Duration limit = job.hasMaxRunTime() && Texts.duration(job.getMaxRunTime()).compareTo(Duration.ZERO) > 0
                ? Texts.duration(job.getMaxRunTime()) : DEFAULT_MAX_RUN_TIME;
        if (now.isAfter(started.plus(limit))) {
            String before = !job.hasFinishedAt() ? "; no run of it has finished yet"
                    : "; the run before it " + (result.getStatus() == CheckStatus.CHECK_STATUS_FAIL ? "failed" : "succeeded") + " at "
                            + Texts.dayAndTime(Texts.instant(job.getFinishedAt())) + " UTC";
            return Optional.of(RuleVerdict.fail(ruleId, "the " + what + " job started at " + Texts.dayAndTime(started)
                    + " UTC and did not finish within " + Texts.span(limit) + " (its expected run time): it hung, was killed or its "
                    + "computer went down" + before));
        }
        if (!job.hasFinishedAt()) {
            // a start proves no backup: until a first run finishes there is none to vouch for (a job whose script always
            // dies after its start would otherwise pass for its whole expected run time, night after night)
            return Optional.of(RuleVerdict.unknown(ruleId, "the first " + what + " job started at "
                    + Texts.dayAndTime(started) + " UTC, still running (expected to finish within " + Texts.span(limit)
                    + "); no run of it has finished yet, so no copy is known"));
        }
        return Optional.empty();
    }
}
