package io.rampart.controlplane.people;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * When the control plane cannot reach Keycloak's admin API, the People pages answer 503 with a message a person can
 * act on, never a 500 with a stack: here its admin address points at a port where nothing listens (sign-in tokens
 * still come from the real Keycloak).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(PeopleWhileKeycloakIsAwayTest.KeycloakAway.class)
class PeopleWhileKeycloakIsAwayTest {

    public static class KeycloakAway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 9 (discard): nothing listens there, the connection is refused at once
            return Map.of("rampart.people.server-url", "http://localhost:9");
        }
    }

    @Inject
    TestFleet fleet;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
    }

    @Test
    void listingAndInvitingAnswer503SayingKeycloakIsNotReachableAndNothingChanged() {
        given().auth().oauth2(Tokens.of("alice")).get("/api/people").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "30")
                .body("detail", containsString("Keycloak at http://localhost:9 is not reachable"))
                .body("detail", containsString("nothing was changed"))
                .body("title", equalTo("Service Unavailable"));
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("email", "away@practice.example", "firstName", "A", "lastName", "Way", "role", "practice-manager",
                        "practiceId", DemoTenancy.HARBOUR_STREET.toString()))
                .post("/api/people").then().statusCode(503).body("detail", containsString("not reachable"));
        given().auth().oauth2(Tokens.of("oscar")).get("/api/operator/providers/" + DemoTenancy.NORTHWIND + "/admins").then().statusCode(503);
    }
}
