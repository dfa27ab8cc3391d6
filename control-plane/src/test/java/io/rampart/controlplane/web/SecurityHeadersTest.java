package io.rampart.controlplane.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(RealServers.class)
class SecurityHeadersTest {

    @Test
    void theWebUiIsServedWithAPolicyThatAllowsOnlyItselfAndTheIdentityProvider() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' " + SecurityHeaders.origin(RealServers.issuer())))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"));
    }

    @Test
    void aPageOfTheWebUiReloadedAtItsOwnAddressGetsTheApp() {
        given().get("/practices/00000000-0000-4000-8000-000000000101").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("<div id=\"root\">"));
    }

    @Test
    void theApiRefusesCallsWithoutAValidTokenAndIsNeverCached() {
        given().get("/api/fleet/compliance").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/fleet/compliance").then().statusCode(401);
        given().auth().oauth2(Tokens.of("tom")).get("/api/fleet/compliance").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        given().get("/api/auth-config").then().statusCode(200).body("issuer", equalTo(RealServers.issuer()))
                .body("clientId", equalTo("rampart-web"));
    }

    @Test
    void refusesARequestBodyLargerThanOneMegabyte() {
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .post("/api/groups/00000000-0000-4000-8000-000000000010/practices").then().statusCode(413);
    }
}
