package io.rampart.controlplane.fleet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.config.AgentHome;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** A real agent enrols, watches a real backup folder, reports; the practice shows in the fleet API. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class AgentToFleetEndToEndTest {

    @Inject
    TestFleet fleet;
    @Inject
    FleetProjectionConsumer projection;
    @Inject
    MeterRegistry registry;
    @Inject
    TestEvidence evidence;

    @TempDir
    Path temp;

    @Test
    void anEnrolledAgentsFailingBackupFolderMakesItsPracticeFailInTheFleet() throws IOException {
        Practice practice = fleet.newPractice("Harbour Street Surgery " + UUID.randomUUID());
        Path stale = Files.writeString(nasFolder().resolve("clinical-2026-11-20.bak"), "backup bytes");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(31))));

        try (PracticeAgent agent = enrolledAgent(practice)) {
            agent.runChecksNow();
            assertThat(agent.outboxSize()).isEqualTo(2);
            assertThat(agent.deliverNow()).isEqualTo(2);
            assertThat(agent.outboxSize()).isZero();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAlice().get("/api/practices/{id}", practice.id)
                .then().statusCode(200)
                .body("checks[0].checkId", equalTo("nas-copy"))
                .body("checks[0].status", equalTo("FAIL"))
                .body("agents.size()", equalTo(1))
                .body("agents[0].revoked", equalTo(false)));
        JsonPath detail = asAlice().get("/api/practices/{id}", practice.id).then().extract().jsonPath();
        assertThat(detail.getString("checks[0].summary")).contains("31 h old");
        assertThat(detail.getString("lastSeenAt")).isNotNull();
        assertThat(detail.getList("recentEvents.type")).containsExactlyInAnyOrder("AGENT_ENROLLED", "HEARTBEAT", "CHECK_RESULT");
        assertThat(detail.getString("checks[0].details.newestFile")).isEqualTo("clinical-2026-11-20.bak");
        // the agent said what its clock read when it sent the batch; here both clocks are this machine's
        assertThat(detail.getLong("agents[0].clockOffsetSeconds")).isBetween(-5L, 5L);

        // the group's policy judges that evidence: the fleet lists the practice as failing its nas-copy rule
        evidence.evaluateAllDue(Instant.now());
        List<Map<String, Object>> rows = asAlice().queryParam("groupId", practice.groupId).get("/api/fleet/compliance")
                .then().statusCode(200).extract().jsonPath().getList("practices");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("id")).isEqualTo(practice.id.toString());
            assertThat(row.get("state")).isEqualTo("FAIL");
            assertThat(row.get("lastSeenAt")).isNotNull();
            assertThat(row.get("problems").toString()).contains("ruleId=nas-copy", "status=FAIL");
        });
    }

    @Test
    void aFreshBackupMakesThePracticePass() throws IOException {
        Practice practice = fleet.newPractice("Riverside Family Practice " + UUID.randomUUID());
        Files.write(nasFolder().resolve("clinical-today.bak"), new byte[4096]);
        try (PracticeAgent agent = enrolledAgent(practice)) {
            agent.runChecksNow();
            agent.deliverNow();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAlice().get("/api/practices/{id}", practice.id)
                .then().statusCode(200).body("checks[0].checkId", equalTo("nas-copy")).body("checks[0].status", equalTo("PASS")));
        evidence.evaluateAllDue(Instant.now());
        asAlice().get("/api/practices/{id}/compliance", practice.id).then().statusCode(200)
                .body("rules.find { it.ruleId == 'nas-copy' }.status", equalTo("PASS"));
    }

    @Test
    void aRunningAgentTakesUpANewCheckOfItsGroupWithoutARestart() throws IOException {
        Practice practice = fleet.newPractice("Changing Lane Practice " + UUID.randomUUID());
        Files.write(nasFolder().resolve("clinical.bak"), new byte[2048]);
        try (PracticeAgent agent = enrolledAgent(practice)) {
            agent.runChecksNow();
            agent.deliverNow();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAlice().get("/api/practices/{id}", practice.id)
                    .then().body("checks.checkId", org.hamcrest.Matchers.contains("nas-copy")));

            // the group's policy now also asks for the nightly image, reported by the imaging software
            fleet.addCheck(practice.groupId, "system-image", "REPORTED_JOB", "{\"maxAge\": \"93600s\"}");
            agent.refreshConfiguration();
            agent.runChecksNow();
            agent.deliverNow();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAlice().get("/api/practices/{id}", practice.id)
                .then().body("checks.checkId", org.hamcrest.Matchers.contains("nas-copy", "system-image"))
                .body("checks.find { it.checkId == 'system-image' }.status", equalTo("FAIL"))
                .body("checks.find { it.checkId == 'system-image' }.summary", org.hamcrest.Matchers.containsString("never reported")));
    }

    @Test
    void answersAnUnknownPracticeWithProblemDetails() {
        asAlice().get("/api/practices/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Not Found"));
        asAlice().get("/api/practices/not-a-uuid").then().statusCode(404);
    }

    @Test
    void aConsumerReplayingTheWholeTopicChangesNothing() throws Exception {
        Practice practice = fleet.newPractice("Replay Road Practice " + UUID.randomUUID());
        Files.write(nasFolder().resolve("clinical.bak"), new byte[100]);
        try (PracticeAgent agent = enrolledAgent(practice)) {
            agent.runChecksNow();
            agent.runChecksNow();
            agent.deliverNow();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> historyCount(practice) == 5);
        String before = asAlice().get("/api/practices/{id}", practice.id).then().extract().asString();

        projection.stop();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.bootstrapServers()))) {
            // forget the committed offsets: the restarted consumer starts again from the first event
            admin.deleteConsumerGroups(List.of("rampart-projections")).all().get(30, TimeUnit.SECONDS);
        }
        double applied = counter("applied");
        double duplicates = counter("duplicate");
        projection.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> counter("duplicate") - duplicates >= 5);
        assertThat(counter("applied")).isEqualTo(applied);
        assertThat(historyCount(practice)).isEqualTo(5);
        assertThat(asAlice().get("/api/practices/{id}", practice.id).then().extract().asString()).isEqualTo(before);
    }

    private Path nasFolder() throws IOException {
        return Files.createDirectories(temp.resolve("nas"));
    }

    /** A real agent enrolled into the practice, watching the NAS folder, with its configuration fetched. */
    private PracticeAgent enrolledAgent(Practice practice) throws IOException {
        AgentHome home = AgentHome.at(Files.createDirectories(temp.resolve("agent")));
        Files.writeString(home.checksFile(), "check.nas-copy.path=" + nasFolder() + "\n");
        Enrolment.enroll(home, URI.create(fleet.grpcUrl()), fleet.token(practice), "practice-server", fleet.caCertificates());
        PracticeAgent agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.refreshConfiguration();
        return agent;
    }

    private double counter(String outcome) {
        return registry.counter("rampart.projection.events", "outcome", outcome).count();
    }

    private static long historyCount(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> EventHistory.count("practiceId", practice.id));
    }

    /** Requests as the demo provider admin, who may see every practice of Northwind IT Services. */
    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().auth().oauth2(Tokens.of("alice"));
    }
}
