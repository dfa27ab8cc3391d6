package io.rampart.controlplane.policy.exceptions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.policy.rules.PolicyException;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** Exceptions to a rule for a practice: recorded with who, why and until when, listed, revoked, audited, and handed to evaluation. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PracticeExceptionResourceTest {

    @Inject
    TestFleet fleet;
    @Inject
    PolicyExceptions exceptions;

    private static RequestSpecification as(String username) {
        return given().auth().oauth2(Tokens.of(username)).contentType(ContentType.JSON);
    }

    private static String request(String ruleId, String until) {
        return "{\"ruleId\": \"" + ruleId + "\", \"reason\": \"UPS replaced next month\", \"approvedBy\": \"Dr Jones\", \"until\": \"" + until + "\"}";
    }

    @Test
    void recordsListsAndRevokesAnExceptionAndHandsOnlyActiveOnesToEvaluation() {
        Practice practice = fleet.newPractice("Exceptional Street Surgery");
        String until = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String id = as("alice").body(request("ups", until)).post("/api/practices/{id}/exceptions", practice.id)
                .then().statusCode(201)
                .body("ruleId", equalTo("ups"))
                .body("reason", equalTo("UPS replaced next month"))
                .body("approvedBy", equalTo("Dr Jones"))
                .body("state", equalTo("ACTIVE"))
                .body("createdBy", equalTo("alice"))
                .extract().path("id");
        as("alice").get("/api/practices/{id}/exceptions", practice.id).then().statusCode(200)
                .body("id", equalTo(List.of(id))).body("[0].until", equalTo(until));

        List<PolicyException> active = QuarkusTransaction.requiringNew().call(() -> exceptions.activeFor(practice.id, Instant.now()));
        assertThat(active).singleElement().satisfies(e -> {
            assertThat(e.ruleId()).isEqualTo("ups");
            assertThat(e.approvedBy()).isEqualTo("Dr Jones");
            assertThat(e.until()).isEqualTo(Instant.parse(until));
        });
        assertThat(QuarkusTransaction.requiringNew().call(() -> exceptions.activeFor(practice.id, Instant.now().plus(Duration.ofDays(31)))))
                .as("expired by then").isEmpty();

        as("alice").delete("/api/practices/{id}/exceptions/{exception}", practice.id, id).then().statusCode(200)
                .body("state", equalTo("REVOKED")).body("revokedBy", equalTo("alice"));
        as("alice").delete("/api/practices/{id}/exceptions/{exception}", practice.id, id).then().statusCode(200)
                .body("state", equalTo("REVOKED"));
        as("alice").get("/api/practices/{id}/exceptions", practice.id).then().body("[0].state", equalTo("REVOKED"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> exceptions.activeFor(practice.id, Instant.now()))).isEmpty();

        List<Map<String, Object>> audited = as("alice").get("/api/audit?limit=1000").then().statusCode(200)
                .extract().path("findAll { it.targetId == '" + id + "' }");
        assertThat(audited).extracting(e -> e.get("action")).containsExactlyInAnyOrder("policy-exception.created", "policy-exception.revoked");
        assertThat(audited).allSatisfy(e -> assertThat(e.get("practiceId")).isEqualTo(practice.id.toString()));
    }

    @Test
    void aDateAloneMeansTheEndOfThatDay() {
        Practice practice = fleet.newPractice("Date Only Practice");
        String day = Instant.now().plus(Duration.ofDays(10)).toString().substring(0, 10);
        as("alice").body(request("plan-review", day)).post("/api/practices/{id}/exceptions", practice.id)
                .then().statusCode(201).body("until", equalTo(day + "T23:59:59Z"));
    }

    @Test
    void refusesAnInvalidExceptionWithAMessagePerFieldAndRecordsNothing() {
        Practice practice = fleet.newPractice("Refused Exception Practice");
        List<Map<String, String>> errors = as("alice").body("{\"ruleId\": \"tape-copy\", \"reason\": \" \", \"until\": \"next month\"}")
                .post("/api/practices/{id}/exceptions", practice.id).then().statusCode(400).contentType("application/problem+json")
                .extract().path("errors");
        assertThat(errors).extracting(e -> e.get("field")).containsExactlyInAnyOrder("ruleId", "reason", "approvedBy", "until");
        as("alice").body(request("ups", Instant.now().minus(Duration.ofDays(1)).toString()))
                .post("/api/practices/{id}/exceptions", practice.id).then().statusCode(400)
                .body("errors.message", equalTo(List.of("must be in the future")));
        as("alice").body(request("ups", Instant.now().plus(Duration.ofDays(400)).toString()))
                .post("/api/practices/{id}/exceptions", practice.id).then().statusCode(400).body("errors.field", equalTo(List.of("until")));
        as("alice").get("/api/practices/{id}/exceptions", practice.id).then().body("size()", equalTo(0));
    }

    @Test
    void aGroupManagerMayGrantInTheGroupAndAPracticeManagerOnlyReads() {
        fleet.seedDemoTenancy();
        String until = Instant.now().plus(Duration.ofDays(7)).toString();
        String id = as("grace").body(request("contacts", until)).post("/api/practices/{id}/exceptions", DemoTenancy.RIVERSIDE)
                .then().statusCode(201).body("createdBy", equalTo("grace")).extract().path("id");
        as("paula").get("/api/practices/{id}/exceptions", DemoTenancy.RIVERSIDE).then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
        as("paula").body(request("contacts", until)).post("/api/practices/{id}/exceptions", DemoTenancy.RIVERSIDE).then().statusCode(403);
        as("paula").delete("/api/practices/{id}/exceptions/{exception}", DemoTenancy.RIVERSIDE, id).then().statusCode(403);
        as("gary").get("/api/practices/{id}/exceptions", DemoTenancy.RIVERSIDE).then().statusCode(404);
        as("gary").delete("/api/practices/{id}/exceptions/{exception}", DemoTenancy.RIVERSIDE, id).then().statusCode(404);
        // an exception is found only under its own practice
        as("grace").delete("/api/practices/{id}/exceptions/{exception}", DemoTenancy.HARBOUR_STREET, id).then().statusCode(404);
        as("grace").delete("/api/practices/{id}/exceptions/{exception}", DemoTenancy.RIVERSIDE, id).then().statusCode(200)
                .body("revokedBy", equalTo("grace"));
        as("grace").delete("/api/practices/{id}/exceptions/{exception}", DemoTenancy.RIVERSIDE, UUID.randomUUID()).then().statusCode(404)
                .body("errors", nullValue());
    }
}
