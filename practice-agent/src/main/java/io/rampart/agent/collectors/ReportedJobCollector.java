package io.rampart.agent.collectors;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.ReportedJobs;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.JobReport;

/**
 * Jobs of third-party software (imaging, cloud sync) report themselves through {@code rampart-agent report};
 * this collector turns silence into a failure: no report for longer than max_age, or never one at all.
 */
public final class ReportedJobCollector implements Collector {

    private final ReportedJobs reports;
    private final Clock clock;

    public ReportedJobCollector(AgentHome home, Clock clock) {
        this.reports = ReportedJobs.in(home);
        this.clock = clock;
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_REPORTED_JOB;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        try {
            examine(check, result);
        } catch (UncheckedIOException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR).setSummary("cannot read the reports of the jobs in "
                    + ReportedJobs.FILE + " in the agent home: " + e.getCause().getClass().getSimpleName());
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    private void examine(CheckDefinition check, CheckResult.Builder result) {
        String id = check.getCheckId();
        Optional<ReportedJobs.Report> last = reports.last(id);
        if (last.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("never reported: add `rampart-agent report --check " + id
                    + " --status ok|warn|failed` to the post-job script of the software that runs this job (e.g. the imaging software)");
            return;
        }
        ReportedJobs.Report report = last.get();
        result.setJobReport(JobReport.newBuilder().setSoftware(report.software()).setMessage(report.message())
                .setFinishedAt(Timestamp.newBuilder().setSeconds(report.at().getEpochSecond()).setNanos(report.at().getNano())));
        Duration age = Duration.between(report.at(), clock.instant());
        Optional<Duration> maxAge = Optional.of(DesiredConfiguration.toDuration(check.getReportedJob().getMaxAge()))
                .filter(limit -> !limit.isZero() && !limit.isNegative());
        String limitText = maxAge.map(limit -> " (limit " + HumanDuration.of(limit) + ")").orElse("");
        String said = (report.software().isBlank() ? "" : report.software() + " ") + "reported " + report.outcome().word() + " "
                + HumanDuration.of(age) + " ago";
        String message = report.message().isBlank() ? "" : ": " + report.message();
        if (maxAge.isPresent() && age.compareTo(maxAge.get()) > 0) {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("no report from " + id + " for " + HumanDuration.of(age)
                    + limitText + "; last: " + said + message);
            return;
        }
        CheckStatus status = switch (report.outcome()) {
            case OK -> CheckStatus.CHECK_STATUS_PASS;
            case WARN -> CheckStatus.CHECK_STATUS_WARN;
            case FAILED -> CheckStatus.CHECK_STATUS_FAIL;
        };
        // the fleet prefixes the check id itself
        result.setStatus(status).setSummary(said + limitText + message);
    }
}
