package io.rampart.controlplane.agents;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(RealServers.class)
class EnrolmentTokenResourceTest {

    @Inject
    TestFleet fleet;

    @Test
    void createsASingleUseTokenShownOnceWithTheEnrolCommand() {
        Practice practice = fleet.newPractice("Token Street Surgery");
        asAlice().contentType(ContentType.JSON).body("{\"validForHours\": 2}")
                .post("/api/practices/{id}/enrolment-tokens", practice.id)
                .then().statusCode(201)
                .body("practiceId", equalTo(practice.id.toString()))
                .body("token", startsWith("rpe_"))
                .body("enrolCommand", containsString("/install.sh | sudo sh -s -- --token "))
                .body("installCommandWindows", containsString("install.ps1"));
    }

    @Test
    void refusesAValidityOutsideOneHourToThirtyDays() {
        Practice practice = fleet.newPractice("Validity Lane Practice");
        asAlice().contentType(ContentType.JSON).body("{\"validForHours\": 0}")
                .post("/api/practices/{id}/enrolment-tokens", practice.id)
                .then().statusCode(400);
    }

    @Test
    void refusesMalformedJsonWithAProblem() {
        Practice practice = fleet.newPractice("Broken Json Practice");
        asAlice().contentType(ContentType.JSON).body("{\"validForHours\": \"soon\"")
                .post("/api/practices/{id}/enrolment-tokens", practice.id)
                .then().statusCode(400);
    }

    @Test
    void answersAnUnknownPracticeWith404() {
        asAlice().contentType(ContentType.JSON).body("{}")
                .post("/api/practices/{id}/enrolment-tokens", UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void addsAPracticeToAGroupAndRefusesABlankName() {
        Practice existing = fleet.newPractice("Group Finder Practice");
        asAlice().contentType(ContentType.JSON).body("{\"name\": \"  New Road Surgery \"}")
                .post("/api/groups/{id}/practices", existing.groupId)
                .then().statusCode(201).body("name", equalTo("New Road Surgery"))
                .body("providerId", equalTo(existing.providerId.toString()));
        asAlice().contentType(ContentType.JSON).body("{\"name\": \"\"}")
                .post("/api/groups/{id}/practices", existing.groupId)
                .then().statusCode(400);
        asAlice().contentType(ContentType.JSON).body("{\"name\": \"Nowhere\"}")
                .post("/api/groups/{id}/practices", UUID.randomUUID())
                .then().statusCode(404);
    }

    /** Requests as the demo provider admin, who may see every practice of Northwind IT Services. */
    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().auth().oauth2(Tokens.of("alice"));
    }
}
