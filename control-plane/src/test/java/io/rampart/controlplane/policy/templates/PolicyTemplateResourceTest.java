package io.rampart.controlplane.policy.templates;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.PolicyWriter;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** A provider's policy templates: kept, renamed, removed, applied to a group, and invisible to other providers. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PolicyTemplateResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestFleet fleet;

    private static RequestSpecification as(String username) {
        return given().auth().oauth2(Tokens.of(username)).contentType(ContentType.JSON);
    }

    private static ObjectNode template(String name, String nasMaxAge) {
        ObjectNode document = PolicyWriter.write(PolicyDocument.reference());
        ((ObjectNode) document.get("rules").get("nas-copy")).put("maxAge", nasMaxAge);
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.set("document", document);
        return body;
    }

    @Test
    void keepsChangesAndRemovesATemplateAuditingEachStep() {
        String name = "Strict NAS " + UUID.randomUUID();
        String id = as("alice").body(template(name, "PT20H")).post("/api/policy-templates").then().statusCode(201)
                .body("name", equalTo(name)).body("createdBy", equalTo("alice"))
                .body("document.rules.nas-copy.maxAge", equalTo("PT20H")).extract().path("id");
        as("alice").get("/api/policy-templates").then().statusCode(200).body("id", hasItem(id));
        as("alice").get("/api/policy-templates/{id}", id).then().statusCode(200).body("name", equalTo(name));

        as("alice").body(template(name + " (v2)", "PT22H")).put("/api/policy-templates/{id}", id).then().statusCode(200)
                .body("name", equalTo(name + " (v2)")).body("document.rules.nas-copy.maxAge", equalTo("PT22H"));

        as("alice").delete("/api/policy-templates/{id}", id).then().statusCode(204);
        as("alice").get("/api/policy-templates/{id}", id).then().statusCode(404);
        as("alice").get("/api/policy-templates").then().body("id", not(hasItem(id)));

        List<String> actions = as("alice").get("/api/audit?limit=1000").then().statusCode(200)
                .extract().path("findAll { it.targetId == '" + id + "' }.action");
        assertThat(actions).containsExactlyInAnyOrder("policy-template.created", "policy-template.updated", "policy-template.deleted");
        List<Map<String, Object>> updated = as("alice").get("/api/audit?limit=1000").then()
                .extract().path("findAll { it.targetId == '" + id + "' && it.action == 'policy-template.updated' }");
        assertThat(updated).singleElement().satisfies(entry -> {
            assertThat(JSON.valueToTree(entry.get("before")).at("/name").asText()).isEqualTo(name);
            assertThat(JSON.valueToTree(entry.get("after")).at("/name").asText()).isEqualTo(name + " (v2)");
        });
    }

    @Test
    void applyingATemplateToAGroupIsAPutOfItsDocument() {
        Practice practice = fleet.newPractice("Templated Surgery");
        ObjectNode document = as("alice").body(template("Applied " + UUID.randomUUID(), "PT30H")).post("/api/policy-templates")
                .then().statusCode(201).extract().as(ObjectNode.class);
        ObjectNode change = JSON.createObjectNode().put("comment", "applied template " + document.get("name").asText());
        change.set("document", document.get("document"));
        as("alice").body(change).put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200)
                .body("version", equalTo(1)).body("document.rules.nas-copy.maxAge", equalTo("PT30H"));
    }

    @Test
    void refusesAnInvalidTemplateWithEveryProblemAndKeepsNothing() {
        ObjectNode body = template("", "-PT1H");
        List<String> fields = as("alice").body(body).post("/api/policy-templates").then().statusCode(400)
                .contentType("application/problem+json").extract().path("errors.field");
        assertThat(fields).containsExactlyInAnyOrder("name", "document.rules.nas-copy.maxAge");
        as("alice").body("{}").post("/api/policy-templates").then().statusCode(400)
                .body("errors.field", equalTo(List.of("name", "document")));
    }

    @Test
    void refusesASecondTemplateOfTheSameName() {
        String name = "Twice " + UUID.randomUUID();
        as("alice").body(template(name, "PT26H")).post("/api/policy-templates").then().statusCode(201);
        as("alice").body(template(name.toUpperCase(), "PT26H")).post("/api/policy-templates").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void anotherProvidersTemplatesAreNotThere() {
        String id = as("alice").body(template("Northwind only " + UUID.randomUUID(), "PT26H")).post("/api/policy-templates")
                .then().statusCode(201).extract().path("id");
        as("olivia").get("/api/policy-templates").then().statusCode(200).body("id", not(hasItem(id)));
        as("olivia").get("/api/policy-templates/{id}", id).then().statusCode(404);
        as("olivia").body(template("Hijack", "PT26H")).put("/api/policy-templates/{id}", id).then().statusCode(404);
        as("olivia").delete("/api/policy-templates/{id}", id).then().statusCode(404);
        as("grace").get("/api/policy-templates").then().statusCode(403);
        as("alice").get("/api/policy-templates/{id}", id).then().statusCode(200);
    }
}
