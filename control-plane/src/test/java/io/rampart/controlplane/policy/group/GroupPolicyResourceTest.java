package io.rampart.controlplane.policy.group;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.PolicyWriter;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** A group's policy over REST: the reference policy by default, versions on every change, invalid changes refused and audited ones kept. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class GroupPolicyResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestFleet fleet;
    @Inject
    GroupPolicies policies;
    @Inject
    EntityManager entities;

    private static RequestSpecification as(String username) {
        return given().auth().oauth2(Tokens.of(username)).contentType(ContentType.JSON);
    }

    private static ObjectNode change(ObjectNode document, String comment) {
        ObjectNode body = JSON.createObjectNode();
        body.set("document", document);
        body.put("comment", comment);
        return body;
    }

    private static ObjectNode referenceWith(String rule, String field, String value) {
        ObjectNode document = PolicyWriter.write(PolicyDocument.reference());
        ((ObjectNode) document.get("rules").get(rule)).put(field, value);
        return document;
    }

    @Test
    void aNewGroupHasTheReferencePolicyAsVersionZeroAndNoHistory() {
        Practice practice = fleet.newPractice("Reference Road Surgery");
        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().statusCode(200)
                .body("version", equalTo(0))
                .body("groupId", equalTo(practice.groupId.toString()))
                .body("changedBy", nullValue())
                .body("document.rules.cloud-copy.maxAge", equalTo("PT26H"))
                .body("document.rules.archive-retention.retention", equalTo("P3Y"))
                .body("document.rules.usb-rotation.minDrives", equalTo(2))
                .body("document.rules.ups.enabled", equalTo(true));
        as("alice").get("/api/groups/{id}/policy/versions", practice.groupId).then().statusCode(200).body("size()", equalTo(0));
        assertThat(policies.rulesFor(practice.groupId)).hasSize(11);
    }

    @Test
    void everyChangeIsANewVersionListedInTheHistoryNewestFirst() {
        Practice practice = fleet.newPractice("Versioned Lane Practice");
        as("alice").body(change(referenceWith("cloud-copy", "maxAge", "PT30H"), "nightly copy runs late at weekends"))
                .put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200)
                .body("version", equalTo(1))
                .body("changedBy", equalTo("alice"))
                .body("comment", equalTo("nightly copy runs late at weekends"))
                .body("document.rules.cloud-copy.maxAge", equalTo("PT30H"));
        ObjectNode second = referenceWith("cloud-copy", "maxAge", "PT30H");
        ((ObjectNode) second.get("rules").get("ups")).put("enabled", false);
        as("alice").body(change(second, "no UPS at this group")).put("/api/groups/{id}/policy", practice.groupId)
                .then().statusCode(200).body("version", equalTo(2));

        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().statusCode(200)
                .body("version", equalTo(2)).body("document.rules.ups.enabled", equalTo(false));
        as("alice").get("/api/groups/{id}/policy/versions", practice.groupId).then().statusCode(200)
                .body("version", equalTo(List.of(2, 1)))
                .body("comment", equalTo(List.of("no UPS at this group", "nightly copy runs late at weekends")))
                .body("[1].document.rules.ups.enabled", equalTo(true));

        List<Rule> rules = policies.rulesFor(practice.groupId);
        assertThat(rules).extracting(Rule::id).hasSize(10).doesNotContain("ups");
        assertThat(policies.effective(practice.groupId).version()).isEqualTo(2);
    }

    @Test
    void anInvalidPolicyIsRefusedWithAMessagePerFieldAndChangesNothing() {
        Practice practice = fleet.newPractice("Invalid Policy Practice");
        as("alice").body(change(referenceWith("nas-copy", "maxAge", "PT26H"), "first")).put("/api/groups/{id}/policy", practice.groupId)
                .then().statusCode(200).body("version", equalTo(1));

        ObjectNode invalid = referenceWith("nas-copy", "maxAge", "26 hours");
        ((ObjectNode) invalid.get("rules").get("usb-rotation")).put("minDrives", 1);
        ((ObjectNode) invalid.get("rules").get("db-sync")).put("lagGrace", "PT1H");
        ((ObjectNode) invalid.get("rules")).putObject("tape-copy").put("enabled", true);
        List<Map<String, String>> errors = as("alice").body(change(invalid, "broken")).put("/api/groups/{id}/policy", practice.groupId)
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad Request"))
                .extract().path("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactlyInAnyOrder("document.rules.nas-copy.maxAge",
                "document.rules.usb-rotation.minDrives", "document.rules.db-sync.lagGrace", "document.rules.tape-copy");
        assertThat(errors).allSatisfy(e -> assertThat(e.get("message")).isNotBlank());

        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().statusCode(200)
                .body("version", equalTo(1)).body("comment", equalTo("first"));
        as("alice").get("/api/groups/{id}/policy/versions", practice.groupId).then().body("size()", equalTo(1));
    }

    @Test
    void aBodyWithoutADocumentIsRefusedPerField() {
        Practice practice = fleet.newPractice("No Document Practice");
        as("alice").body("{\"comment\": \"nothing\"}").put("/api/groups/{id}/policy", practice.groupId)
                .then().statusCode(400).body("errors.field", equalTo(List.of("document")));
        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().body("version", equalTo(0));
    }

    @Test
    void aChangeBasedOnAnOldVersionIsRefusedWithConflict() {
        Practice practice = fleet.newPractice("Concurrent Edit Practice");
        ObjectNode body = change(referenceWith("nas-copy", "maxAge", "PT25H"), "edit");
        body.put("basedOnVersion", 0);
        as("alice").body(body).put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200).body("version", equalTo(1));
        as("alice").body(body).put("/api/groups/{id}/policy", practice.groupId).then().statusCode(409)
                .contentType("application/problem+json");
        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().body("version", equalTo(1));
    }

    @Test
    void onlyAProviderAdminChangesAPolicyAndEveryoneInTheGroupReadsIt() {
        UUID coastal = io.rampart.controlplane.embedded.DemoTenancy.COASTAL;
        fleet.seedDemoTenancy();
        ObjectNode body = change(PolicyWriter.write(PolicyDocument.reference()), "attempt");
        as("grace").body(body).put("/api/groups/{id}/policy", coastal).then().statusCode(403);
        as("tom").body(body).put("/api/groups/{id}/policy", coastal).then().statusCode(403);
        as("olivia").body(body).put("/api/groups/{id}/policy", coastal).then().statusCode(404);
        as("pat").get("/api/groups/{id}/policy", coastal).then().statusCode(200);
        as("gary").get("/api/groups/{id}/policy", coastal).then().statusCode(404);
        as("alice").get("/api/groups/{id}/policy", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aChangeIsAuditedWithTheVersionBeforeAndAfter() {
        Practice practice = fleet.newPractice("Audited Policy Practice " + UUID.randomUUID());
        as("alice").body(change(referenceWith("agent-heartbeat", "maxSilence", "PT20M"), "audited change"))
                .put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200);
        List<Map<String, Object>> entries = as("alice").get("/api/audit?limit=1000").then().statusCode(200)
                .extract().path("findAll { it.targetId == '" + practice.groupId + "' && it.action == 'group-policy.changed' }");
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("actor")).isEqualTo("alice");
            assertThat(entry.get("targetType")).isEqualTo("group-policy");
            assertThat(entry.get("groupId")).isEqualTo(practice.groupId.toString());
            assertThat(JSON.valueToTree(entry.get("before")).at("/version").asInt()).isEqualTo(0);
            assertThat(JSON.valueToTree(entry.get("before")).at("/document/rules/agent-heartbeat/maxSilence").asText()).isEqualTo("PT10M");
            assertThat(JSON.valueToTree(entry.get("after")).at("/version").asInt()).isEqualTo(1);
            assertThat(JSON.valueToTree(entry.get("after")).at("/document/rules/agent-heartbeat/maxSilence").asText()).isEqualTo("PT20M");
            assertThat(JSON.valueToTree(entry.get("after")).at("/comment").asText()).isEqualTo("audited change");
        });
    }

    @Test
    void theDatabaseRefusesToChangeOrRemoveAStoredVersion() {
        Practice practice = fleet.newPractice("Immutable Version Practice");
        as("alice").body(change(PolicyWriter.write(PolicyDocument.reference()), "kept as it was"))
                .put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery(
                "update group_policy_version set comment = 'rewritten' where group_id = ?1").setParameter(1, practice.groupId).executeUpdate()))
                .hasStackTraceContaining("never changed or removed");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery(
                "delete from group_policy_version where group_id = ?1").setParameter(1, practice.groupId).executeUpdate()))
                .hasStackTraceContaining("never changed or removed");
        as("alice").get("/api/groups/{id}/policy", practice.groupId).then().body("comment", equalTo("kept as it was"));
    }

    @Test
    void validatesADocumentWithoutStoringIt() {
        as("grace").body(PolicyWriter.write(PolicyDocument.reference())).post("/api/policies/validate")
                .then().statusCode(200).body("valid", equalTo(true)).body("document.rules.nas-copy.maxAge", equalTo("PT26H"));
        ObjectNode invalid = referenceWith("ups", "selfTestEvery", "-P90D");
        as("grace").body(invalid).post("/api/policies/validate").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("rules.ups.selfTestEvery"))
                .body("errors.message", hasItems("must not be negative"));
    }
}
