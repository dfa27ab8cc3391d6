package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.ReportedJobs;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.ReportedJobSettings;

class ReportedJobCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final CheckDefinition SYSTEM_IMAGE = CheckDefinition.newBuilder()
            .setCheckId("system-image")
            .setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
            .setReportedJob(ReportedJobSettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26))))
            .build();

    @TempDir
    Path directory;

    @Test
    void passesRestatingTheLastReportWhenItWasOkAndRecent() {
        report(ReportedJobs.Outcome.OK, Duration.ofHours(3), "image of SERVER01 verified");

        CheckResult result = collector().run(SYSTEM_IMAGE);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).isEqualTo("Macrium Reflect reported ok 3 h ago (limit 26 h): image of SERVER01 verified");
        assertThat(result.getJobReport().getSoftware()).isEqualTo("Macrium Reflect");
        assertThat(result.getJobReport().getFinishedAt().getSeconds()).isEqualTo(NOW.minus(Duration.ofHours(3)).getEpochSecond());
    }

    @Test
    void failsWhenTheJobHasBeenSilentLongerThanMaxAge() {
        report(ReportedJobs.Outcome.OK, Duration.ofHours(31), "");

        CheckResult result = collector().run(SYSTEM_IMAGE);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("no report from system-image for 31 h (limit 26 h)");
    }

    @Test
    void failsWhenTheRecentReportSaysTheJobFailed() {
        report(ReportedJobs.Outcome.FAILED, Duration.ofHours(1), "target disk full");

        CheckResult result = collector().run(SYSTEM_IMAGE);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).endsWith("reported failed 1 h ago (limit 26 h): target disk full");
    }

    @Test
    void failsTellingHowToHookTheJobUpWhenItNeverReported() {
        CheckResult result = collector().run(SYSTEM_IMAGE);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("never reported: add `rampart-agent report --check system-image ");
    }

    private void report(ReportedJobs.Outcome outcome, Duration ago, String message) {
        ReportedJobs.in(AgentHome.at(directory))
                .record(new ReportedJobs.Report("system-image", outcome, NOW.minus(ago), "Macrium Reflect", message));
    }

    private ReportedJobCollector collector() {
        return new ReportedJobCollector(AgentHome.at(directory), Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
