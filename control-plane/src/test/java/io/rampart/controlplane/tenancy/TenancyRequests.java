package io.rampart.controlplane.tenancy;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.testing.Tokens;

/** The tenancy lifecycle's REST calls as the tests make them, and the audit rows they leave. */
final class TenancyRequests {

    private TenancyRequests() {
    }

    static RequestSpecification as(String username) {
        return given().auth().oauth2(Tokens.of(username)).contentType(ContentType.JSON);
    }

    /** A new group of Northwind made by alice; returns its id. */
    static UUID newGroup(String name, String timeZone) {
        return UUID.fromString(as("alice").body(Map.of("name", name, "timeZone", timeZone)).post("/api/groups")
                .then().statusCode(201).extract().path("id"));
    }

    static UUID newPractice(UUID groupId, String name) {
        return UUID.fromString(as("alice").body(Map.of("name", name)).post("/api/groups/{id}/practices", groupId)
                .then().statusCode(201).extract().path("id"));
    }

    static void decommission(UUID practiceId, String reason) {
        as("alice").body(Map.of("reason", reason)).post("/api/practices/{id}/decommission", practiceId).then().statusCode(200);
    }

    /** The audit rows of one target, oldest first. */
    static List<AuditEntry> auditOf(String targetType, UUID targetId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list("targetType = ?1 and targetId = ?2 order by occurredAt",
                targetType, targetId.toString()));
    }
}
