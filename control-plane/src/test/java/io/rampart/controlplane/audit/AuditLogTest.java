package io.rampart.controlplane.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.KafkaTopics;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.audit.v1.AuditEvent;

/** A person's changes are on the audit topic and in the audit log: who, when, what, before and after. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class AuditLogTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;

    @Test
    @SuppressWarnings("unchecked")
    void creatingAnEnrolmentTokenIsAuditedWithoutTheTokenItself() throws Exception {
        Practice practice = fleet.newPractice("Audited Street Surgery " + UUID.randomUUID());
        String tokenId = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{}")
                .post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(201).extract().path("id");
        String token = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{}")
                .post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(201).extract().path("token");

        List<Map<String, Object>> entries = given().auth().oauth2(Tokens.of("alice")).get("/api/audit?limit=1000")
                .then().statusCode(200).extract().path("findAll { it.targetId == '" + tokenId + "' }");
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("actor")).isEqualTo("alice");
            assertThat(entry.get("actorRole")).isEqualTo("provider-admin");
            assertThat(entry.get("action")).isEqualTo("enrolment-token.created");
            assertThat(entry.get("before")).isNull();
            assertThat((Map<String, Object>) entry.get("after")).containsEntry("practiceId", practice.id.toString()).containsKey("expiresAt");
        });
        assertThat(given().auth().oauth2(Tokens.of("alice")).get("/api/audit?limit=1000").asString()).doesNotContain(token);
        assertThat(given().auth().oauth2(Tokens.of("olivia")).get("/api/audit?limit=1000").asString()).doesNotContain(tokenId);

        evidence.awaitOutboxRelayed();
        List<AuditEvent> onKafka = readAuditTopic();
        assertThat(onKafka).filteredOn(e -> e.getTargetId().equals(tokenId)).singleElement().satisfies(event -> {
            assertThat(event.getActor().getUsername()).isEqualTo("alice");
            assertThat(event.getProviderId()).isEqualTo(practice.providerId.toString());
            assertThat(event.getAfterJson()).contains(practice.id.toString()).doesNotContain(token);
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void revokingAnAgentIsAuditedWithItsStateBeforeAndAfter() {
        Practice practice = fleet.newPractice("Revoked Audit Practice " + UUID.randomUUID());
        String token = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{}")
                .post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(201).extract().path("token");
        String agentId = fleet.enrol(token, "audit-host").toString();
        given().auth().oauth2(Tokens.of("alice")).post("/api/agents/{id}/revoke", agentId).then().statusCode(200);

        List<Map<String, Object>> entries = given().auth().oauth2(Tokens.of("alice")).get("/api/audit?limit=1000")
                .then().extract().path("findAll { it.targetId == '" + agentId + "' }");
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("action")).isEqualTo("agent.revoked");
            assertThat((Map<String, Object>) entry.get("before")).containsEntry("revokedAt", null).containsEntry("hostname", "audit-host");
            assertThat((Map<String, Object>) entry.get("after")).extractingByKey("revokedAt").isNotNull();
        });
    }

    @Test
    void aChangeMadeWhileKafkaRefusesTheAuditTopicIsMadeAndAuditedAndItsRecordReachesTheTopicOnceKafkaTakesIt() throws Exception {
        Practice practice = fleet.newPractice("Audit Outage Practice " + UUID.randomUUID());
        KafkaTopics.refuseWrites("audit");
        String tokenId;
        try {
            // it used to be refused (503, "The audit log is unavailable"); now the audit waits in the outbox
            tokenId = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{}")
                    .post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(201).extract().path("id");
            List<Map<String, Object>> entries = given().auth().oauth2(Tokens.of("alice")).get("/api/audit?limit=1000")
                    .then().statusCode(200).extract().path("findAll { it.targetId == '" + tokenId + "' }");
            assertThat(entries).singleElement().satisfies(entry -> assertThat(entry.get("action")).isEqualTo("enrolment-token.created"));
        } finally {
            KafkaTopics.acceptWrites("audit");
        }
        evidence.awaitOutboxRelayed();
        assertThat(readAuditTopic()).filteredOn(e -> e.getTargetId().equals(tokenId)).hasSize(1);
    }

    private static List<AuditEvent> readAuditTopic() throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        for (var record : TopicReader.readAll("audit")) {
            events.add(AuditEvent.parseFrom(record.value()));
        }
        return events;
    }
}
