package io.rampart.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.agent.Enrolment;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.outbox.Outbox;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * The agent process is killed (SIGKILL) while it delivers its outbox, then started again:
 * every event reaches the fleet exactly once.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class AgentKilledMidBatchTest {

    private static final int EVENTS = 4000;

    @Inject
    TestFleet fleet;

    @TempDir
    Path temp;

    @Test
    void anAgentKilledWhileDeliveringLosesNothingAndDoublesNothing() throws Exception {
        Practice practice = fleet.newPractice("Killed Lane Surgery " + UUID.randomUUID());
        AgentHome home = AgentHome.at(Files.createDirectories(temp.resolve("agent")));
        Enrolment.enroll(home, URI.create(fleet.grpcUrl()), fleet.token(practice), "killed-server", fleet.caCertificates());
        // A backlog, as after days offline: observations waiting in the outbox.
        Outbox outbox = Outbox.open(home.outboxDirectory());
        for (int i = 0; i < EVENTS; i++) {
            outbox.append(checkResult(practice.id, i));
        }

        Process first = startAgent(home);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> history(practice) > 0);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long deliveredBeforeKill = history(practice);
        int leftInOutbox = Outbox.open(home.outboxDirectory()).size();
        assertThat(leftInOutbox).as("killed mid-way: some delivered, some still waiting").isPositive();

        Process second = startAgent(home);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Outbox.open(home.outboxDirectory()).size() == 0);
            // every observation of the backlog, each exactly once (the runs' own checks and heartbeats come on top)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(checkResults(practice)).isEqualTo(EVENTS));
        } finally {
            second.destroy();
            second.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(deliveredBeforeKill).isLessThan(EVENTS + 1);
    }

    private Process startAgent(AgentHome home) throws IOException {
        Path jar = List.of(Path.of("../practice-agent/target/rampart-agent.jar"), Path.of("practice-agent/target/rampart-agent.jar"))
                .stream().filter(Files::exists).findFirst().orElseThrow(() -> new IllegalStateException("build the agent jar first"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toAbsolutePath().toString(), "run", "--home", home.directory().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("agent.log").toFile()))
                .start();
    }

    private static AgentEvent checkResult(UUID practiceId, int i) {
        Instant now = Instant.now();
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(practiceId.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setCheckResult(CheckResult.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("observation " + i))
                .build();
    }

    private static long history(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> EventHistory.count("practiceId", practice.id));
    }

    private static long checkResults(Practice practice) {
        return QuarkusTransaction.requiringNew()
                .call(() -> EventHistory.count("practiceId = ?1 and type = 'CHECK_RESULT' and summary like 'nas-copy: observation %'", practice.id));
    }
}
