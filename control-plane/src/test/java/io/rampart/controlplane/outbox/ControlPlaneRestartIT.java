package io.rampart.controlplane.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.config.AgentHome;
import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * The control plane is stopped while an agent keeps observing; after it starts again (on the
 * same data) every event arrives exactly once and nothing from before the stop is lost.
 */
class ControlPlaneRestartIT {

    @TempDir
    Path temp;

    @Test
    void anAgentDeliversEverythingOnceAfterTheControlPlaneWasStoppedAndStartedAgain() throws Exception {
        Path dataDir = Files.createDirectories(temp.resolve("control-plane"));
        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.free();
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(dataDir, ports).start()) {
            ProcessDatabase database = new ProcessDatabase(controlPlane.jdbcUrl());
            UUID practiceId = database.seedPractice("Restart Surgery");
            String token = database.issueToken(practiceId);

            Path nas = Files.createDirectories(temp.resolve("nas"));
            Files.write(nas.resolve("clinical.bak"), new byte[2048]);
            AgentHome home = AgentHome.at(Files.createDirectories(temp.resolve("agent")));
            Files.writeString(home.checksFile(), "check.nas-copy.path=" + nas + "\n");
            Enrolment.enroll(home, URI.create(controlPlane.grpcUrl()), token, "restart-server", controlPlane.caCertificates());

            try (PracticeAgent agent = PracticeAgent.open(home, Clock.systemUTC())) {
                agent.refreshConfiguration();
                agent.runChecksNow();
                assertThat(agent.deliverNow()).isEqualTo(2);

                controlPlane.stop();
                agent.runChecksNow();
                agent.runChecksNow();
                agent.runChecksNow();
                assertThatThrownBy(agent::deliverNow).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
                assertThat(agent.outboxSize()).isEqualTo(6);

                controlPlane.start();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    agent.deliverNow();
                    return agent.outboxSize() == 0;
                });
            }

            // 1 enrolment + 2 before the stop + 6 while it was down, each exactly once
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(database.column(
                    "select type || '=' || count(*) from event_history where practice_id = ? group by type", practiceId))
                    .containsExactlyInAnyOrder("AGENT_ENROLLED=1", "HEARTBEAT=4", "CHECK_RESULT=4"));
        }
    }

}
