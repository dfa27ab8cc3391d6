package io.rampart.controlplane.policy.reviews;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** Plan reviews: recorded by group managers and provider admins, read by everyone in the tenancy, the latest handed to evaluation. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PlanReviewResourceTest {

    @Inject
    TestFleet fleet;
    @Inject
    PlanReviews reviews;

    private static RequestSpecification as(String username) {
        return given().auth().oauth2(Tokens.of(username)).contentType(ContentType.JSON);
    }

    @Test
    void recordsReviewsListsThemNewestFirstAndHandsTheLatestToEvaluation() {
        Practice practice = fleet.newPractice("Reviewed Road Surgery");
        String older = Instant.now().minus(Duration.ofDays(200)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        as("alice").body("{\"reviewedBy\": \"Dr Patel\", \"reviewedAt\": \"" + older + "\", \"note\": \"annual review\", "
                + "\"documentUrl\": \"https://docs.example.org/backup-plan.pdf\"}")
                .post("/api/practices/{id}/plan-reviews", practice.id).then().statusCode(201)
                .body("reviewedBy", equalTo("Dr Patel")).body("reviewedAt", equalTo(older))
                .body("documentUrl", equalTo("https://docs.example.org/backup-plan.pdf")).body("recordedBy", equalTo("alice"));
        String id = as("alice").body("{\"note\": \"checked after the server move\"}").post("/api/practices/{id}/plan-reviews", practice.id)
                .then().statusCode(201).body("documentUrl", nullValue()).extract().path("id");

        as("alice").get("/api/practices/{id}/plan-reviews", practice.id).then().statusCode(200)
                .body("note", equalTo(List.of("checked after the server move", "annual review")));
        PlanReview latest = QuarkusTransaction.requiringNew().call(() -> reviews.latestFor(practice.id)).orElseThrow();
        assertThat(latest.reviewedAt()).isAfter(Instant.now().minus(Duration.ofMinutes(5)));

        List<Map<String, Object>> audited = as("alice").get("/api/audit?limit=1000").then().statusCode(200)
                .extract().path("findAll { it.targetId == '" + id + "' }");
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.get("action")).isEqualTo("plan-review.recorded");
            assertThat(e.get("practiceId")).isEqualTo(practice.id.toString());
        });
    }

    @Test
    void refusesAnInvalidReviewWithAMessagePerFieldAndRecordsNothing() {
        Practice practice = fleet.newPractice("Unreviewed Practice");
        List<String> fields = as("alice").body("{\"reviewedAt\": \"" + Instant.now().plus(Duration.ofDays(2)) + "\", "
                + "\"documentUrl\": \"javascript:alert(1)\"}")
                .post("/api/practices/{id}/plan-reviews", practice.id).then().statusCode(400).contentType("application/problem+json")
                .extract().path("errors.field");
        assertThat(fields).containsExactlyInAnyOrder("reviewedAt", "note", "documentUrl");
        as("alice").body("{\"note\": \"x\", \"reviewedAt\": \"last week\"}").post("/api/practices/{id}/plan-reviews", practice.id)
                .then().statusCode(400).body("errors.field", equalTo(List.of("reviewedAt")));
        as("alice").get("/api/practices/{id}/plan-reviews", practice.id).then().body("size()", equalTo(0));
    }

    @Test
    void aGroupManagerRecordsAsThemselvesAndAPracticeManagerReads() {
        fleet.seedDemoTenancy();
        as("grace").body("{\"note\": \"reviewed with the practice manager\"}").post("/api/practices/{id}/plan-reviews", DemoTenancy.HILLTOP)
                .then().statusCode(201).body("recordedBy", equalTo("grace"));
        as("pat").body("{\"note\": \"mine\"}").post("/api/practices/{id}/plan-reviews", DemoTenancy.HARBOUR_STREET).then().statusCode(403);
        as("pat").get("/api/practices/{id}/plan-reviews", DemoTenancy.HARBOUR_STREET).then().statusCode(200);
        as("pat").get("/api/practices/{id}/plan-reviews", DemoTenancy.HILLTOP).then().statusCode(404);
        as("gary").body("{\"note\": \"not mine\"}").post("/api/practices/{id}/plan-reviews", DemoTenancy.HILLTOP).then().statusCode(404);
    }
}
