package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.ReportedJobCollector;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.outbox.Outbox;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.ReportedJobSettings;

class ReportCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-25T05:30:00Z");

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void appendsExactlyOneReportedJobResultForTheEnrolledPracticeToTheOutbox() {
        enrol();

        int exit = run("report", "--check", "system-image", "--status", "ok", "--message", "image of SERVER01 verified",
                "--software", "Macrium Reflect", "--home", directory.toString());

        assertThat(exit).isZero();
        List<AgentEvent> events = Outbox.open(AgentHome.at(directory).outboxDirectory()).peek(10);
        assertThat(events).hasSize(1);
        AgentEvent event = events.get(0);
        assertThat(UUID.fromString(event.getEventId()).toString()).isEqualTo(event.getEventId());
        assertThat(event.getPracticeId()).isEqualTo("practice-7");
        assertThat(event.getOccurredAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
        CheckResult result = event.getCheckResult();
        assertThat(result.getCheckId()).isEqualTo("system-image");
        assertThat(result.getKind()).isEqualTo(CheckKind.CHECK_KIND_REPORTED_JOB);
        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).isEqualTo("image of SERVER01 verified");
        assertThat(result.getJobReport().getSoftware()).isEqualTo("Macrium Reflect");
        assertThat(result.getJobReport().getMessage()).isEqualTo("image of SERVER01 verified");
        assertThat(result.getJobReport().getFinishedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
    }

    @Test
    void everyReportIsANewEventAndFailedMapsToFail() {
        enrol();

        run("report", "--check", "system-image", "--status", "ok", "--home", directory.toString());
        run("report", "--check", "system-image", "--status", "failed", "--home", directory.toString());

        List<AgentEvent> events = Outbox.open(AgentHome.at(directory).outboxDirectory()).peek(10);
        assertThat(events).extracting(AgentEvent::getEventId).doesNotHaveDuplicates().hasSize(2);
        assertThat(events).extracting(e -> e.getCheckResult().getStatus())
                .containsExactlyInAnyOrder(CheckStatus.CHECK_STATUS_PASS, CheckStatus.CHECK_STATUS_FAIL);
    }

    @Test
    void recordsTheReportSoTheCollectorSeesARecentSuccess() {
        enrol();
        run("report", "--check", "system-image", "--status", "ok", "--home", directory.toString());

        CheckResult result = new ReportedJobCollector(AgentHome.at(directory), Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC))
                .run(CheckDefinition.newBuilder().setCheckId("system-image").setKind(CheckKind.CHECK_KIND_REPORTED_JOB)
                        .setReportedJob(ReportedJobSettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26))))
                        .build());

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).isEqualTo("reported ok 2 h ago (limit 26 h)");
    }

    @Test
    void anUnknownStatusExits64SayingWhatIsAllowed() {
        enrol();

        assertThat(run("report", "--check", "system-image", "--status", "great", "--home", directory.toString())).isEqualTo(64);
        assertThat(err()).contains("--status must be ok, warn or failed, not great");
        assertThat(Outbox.open(AgentHome.at(directory).outboxDirectory()).size()).isZero();
    }

    @Test
    void aMissingCheckExits64() {
        assertThat(run("report", "--status", "ok", "--home", directory.toString())).isEqualTo(64);
        assertThat(err()).contains("report needs --check");
    }

    @Test
    void anUnenrolledAgentExits1AndQueuesNothing() {
        assertThat(run("report", "--check", "system-image", "--status", "ok", "--home", directory.toString())).isEqualTo(1);
        assertThat(err()).contains("not enrolled");
        assertThat(Outbox.open(AgentHome.at(directory).outboxDirectory()).size()).isZero();
    }

    private void enrol() {
        AgentHome.at(directory).writeIdentity(new EnrolledIdentity(URI.create("https://localhost:9000"), "agent-1", "practice-7",
                "Praxis Dr. Example"));
    }

    private int run(String... args) {
        return new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), Clock.fixed(NOW, ZoneOffset.UTC)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
