package io.rampart.controlplane.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.config.AgentHome;
import io.rampart.controlplane.agents.Secrets;
import io.rampart.controlplane.testing.ControlPlaneProcess;

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
        ControlPlaneProcess.Ports ports = new ControlPlaneProcess.Ports(freePort(), freePort(), freePort(), freePort());
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(dataDir, ports).start()) {
            UUID practiceId = seedPractice(controlPlane.jdbcUrl());
            String token = issueToken(controlPlane.jdbcUrl(), practiceId);

            Path nas = Files.createDirectories(temp.resolve("nas"));
            Files.write(nas.resolve("clinical.bak"), new byte[2048]);
            AgentHome home = AgentHome.at(Files.createDirectories(temp.resolve("agent")));
            Files.writeString(home.checksFile(), "check.nas-copy.path=" + nas + "\n");
            Enrolment.enroll(home, URI.create(controlPlane.grpcUrl()), token, "restart-server");

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
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(eventTypes(controlPlane.jdbcUrl(), practiceId))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("AGENT_ENROLLED", 1L, "HEARTBEAT", 4L, "CHECK_RESULT", 4L)));
        }
    }

    /** A provider, group (requiring nas-copy) and practice, written as an administrator would. */
    private static UUID seedPractice(String jdbcUrl) throws Exception {
        UUID provider = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        UUID practice = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            execute(db, "insert into provider (id, name, created_at) values (?, 'Restart IT', now())", provider);
            execute(db, "insert into practice_group (id, provider_id, name, created_at) values (?, ?, 'Restart group', now())", group, provider);
            execute(db, "insert into check_definition (provider_id, group_id, check_id, kind, interval_seconds, settings)"
                    + " values (?, ?, 'nas-copy', 'BACKUP_FOLDER', 900, '{\"maxAge\": \"93600s\", \"minSizeBytes\": \"1\"}')", provider, group);
            execute(db, "insert into practice (id, provider_id, group_id, name, created_at) values (?, ?, ?, 'Restart Surgery', now())",
                    practice, provider, group);
        }
        return practice;
    }

    /** A token as an administrator's REST call would make it; this test runs without Keycloak. */
    private static String issueToken(String jdbcUrl, UUID practiceId) throws Exception {
        String token = "rpe_restart-it-" + UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            execute(db, "insert into enrolment_token (id, provider_id, group_id, practice_id, token_hash, created_at, expires_at)"
                    + " select ?, provider_id, group_id, id, ?, now(), now() + interval '1 hour' from practice where id = ?",
                    UUID.randomUUID(), Secrets.hash(token), practiceId);
        }
        return token;
    }

    /** Events per type in the fleet's history; event_id is its primary key, so each is there once. */
    private static Map<String, Long> eventTypes(String jdbcUrl, UUID practiceId) throws Exception {
        Map<String, Long> counts = new java.util.HashMap<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                PreparedStatement statement = db.prepareStatement("select type, count(*) from event_history where practice_id = ? group by type")) {
            statement.setObject(1, practiceId);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    private static void execute(Connection db, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
