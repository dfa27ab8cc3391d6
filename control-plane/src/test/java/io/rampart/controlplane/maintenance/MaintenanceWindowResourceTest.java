package io.rampart.controlplane.maintenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** /api/maintenance-windows with real tokens: what is refused and why, who may do what where, and the audit trail. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class MaintenanceWindowResourceTest {

    @Inject
    TestFleet fleet;

    @Test
    void invalidWindowsAreRefusedFieldByFieldAndNothingIsScheduled() {
        Practice practice = fleet.newPractice("Typo Lane Surgery " + UUID.randomUUID());
        Instant now = Instant.now();

        post("tom", Map.of()).statusCode(400).body("detail", containsString("The maintenance window was not scheduled"))
                .body("errors.field", containsInAnyOrder("practiceId", "endsAt", "reason"));
        post("tom", Map.of("practiceId", practice.id, "startsAt", now.minus(Duration.ofHours(1)).toString(),
                "endsAt", now.plus(Duration.ofHours(1)).toString(), "reason", "  ")).statusCode(400)
                .body("errors.field", containsInAnyOrder("startsAt", "reason"))
                .body("errors.find { it.field == 'startsAt' }.message", containsString("must be now or later"))
                .body("errors.find { it.field == 'reason' }.message", equalTo("say why, e.g. \"replacing the NAS\""));
        post("tom", Map.of("practiceId", practice.id, "startsAt", now.plus(Duration.ofDays(1)).toString(),
                "endsAt", now.plus(Duration.ofHours(2)).toString(), "reason", "Replacing the NAS")).statusCode(400)
                .body("errors.field", containsInAnyOrder("endsAt")).body("errors[0].message", containsString("must be after the start"));
        post("tom", Map.of("practiceId", practice.id, "endsAt", now.plus(Duration.ofDays(15).plusMinutes(30)).toString(), "reason", "Replacing the NAS"))
                .statusCode(400).body("errors[0].field", equalTo("endsAt"))
                .body("errors[0].message", equalTo("at most 14 days after the start; this window would last 15 d"));
        post("tom", Map.of("practiceId", practice.id, "endsAt", "tomorrow", "reason", "Replacing the NAS")).statusCode(400)
                .body("errors[0].field", equalTo("endsAt"));
        post("tom", Map.of("practiceId", practice.id, "endsAt", now.plus(Duration.ofHours(1)).toString(), "reason", "x".repeat(501)))
                .statusCode(400).body("errors[0].field", equalTo("reason")).body("errors[0].message", equalTo("at most 500 characters"));
        post("tom", Map.of("practiceId", practice.id, "groupId", DemoTenancy.COASTAL, "endsAt", now.plus(Duration.ofHours(1)).toString(),
                "reason", "Replacing the NAS")).statusCode(400).body("errors[0].field", equalTo("groupId"));
        given().auth().oauth2(Tokens.of("tom")).queryParam("state", "soon").get("/api/maintenance-windows").then().statusCode(400)
                .body("errors[0].field", equalTo("state"));

        list("alice", practice, "all").statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void schedulingEndingAndCancellingAreAuditedAndOnlyTheRightChangeIsAllowed() {
        Practice practice = fleet.newPractice("Audit Row Surgery " + UUID.randomUUID());
        Instant now = Instant.now();
        String upcoming = post("tom", Map.of("practiceId", practice.id, "startsAt", now.plus(Duration.ofDays(2)).toString(),
                "endsAt", now.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)).toString(), "reason", "Replacing the UPS batteries"))
                .statusCode(201).body("state", equalTo("UPCOMING")).body("createdBy", equalTo("tom"))
                .body("practiceName", equalTo(practice.name)).body("groupName", equalTo("Group of " + practice.name))
                .extract().path("id");
        given().auth().oauth2(Tokens.of("tom")).post("/api/maintenance-windows/{id}/end", upcoming).then().statusCode(409)
                .body("detail", containsString("Cannot end it early: it has not started yet")).body("detail", containsString("cancel it instead"));
        given().auth().oauth2(Tokens.of("alice")).delete("/api/maintenance-windows/{id}", upcoming).then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("cancelledBy", equalTo("alice"));
        given().auth().oauth2(Tokens.of("alice")).delete("/api/maintenance-windows/{id}", upcoming).then().statusCode(409)
                .body("detail", containsString("it was cancelled"));

        String active = post("tom", Map.of("practiceId", practice.id, "endsAt", now.plus(Duration.ofHours(3)).toString(),
                "reason", "Replacing the NAS")).statusCode(201).body("state", equalTo("ACTIVE")).extract().path("id");
        list("tom", practice, "active").statusCode(200).body("id", equalTo(List.of(active)));
        given().auth().oauth2(Tokens.of("tom")).delete("/api/maintenance-windows/{id}", active).then().statusCode(409)
                .body("detail", containsString("end it early instead"));
        given().auth().oauth2(Tokens.of("tom")).post("/api/maintenance-windows/{id}/end", active).then().statusCode(200)
                .body("state", equalTo("ENDED")).body("endedEarlyBy", equalTo("tom"));
        list("tom", practice, "current").statusCode(200).body("size()", equalTo(0));
        list("tom", practice, "past").statusCode(200).body("id", containsInAnyOrder(active, upcoming));

        List<AuditEntry> audit = QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list(
                "targetType = 'maintenance-window' and targetId in ?1 order by occurredAt", List.of(upcoming, active)));
        assertThat(audit).extracting(e -> e.action + " by " + e.actorUsername).containsExactly(
                "maintenance-window.scheduled by tom", "maintenance-window.cancelled by alice", "maintenance-window.scheduled by tom",
                "maintenance-window.ended-early by tom");
        assertThat(audit).allSatisfy(e -> assertThat(e.practiceId).isEqualTo(practice.id));
        // kept as jsonb, which writes a space after each colon
        assertThat(audit.get(3).before).contains("\"state\": \"ACTIVE\"");
        assertThat(audit.get(3).after).contains("\"state\": \"ENDED\"", "\"endedEarlyBy\": \"tom\"", "Replacing the NAS");
    }

    @Test
    void anotherProvidersPeopleFindNoWindowPracticeOrGroupAndManagersActOnlyInTheirOwnGroup() {
        fleet.seedDemoTenancy();
        Practice practice = fleet.newPractice("Scoped Surgery " + UUID.randomUUID());
        Instant start = Instant.now().plus(Duration.ofDays(30));
        Map<String, Object> later = new HashMap<>(Map.of("startsAt", start.toString(), "endsAt", start.plus(Duration.ofHours(2)).toString(),
                "reason", "Moving the server room"));
        later.put("practiceId", practice.id);
        String window = post("tom", later).statusCode(201).extract().path("id");

        // another provider's admin: the window, the practice and the group are not there
        list("olivia", practice, "all").statusCode(404).body("detail", equalTo("No such practice, or not one you may see"));
        post("olivia", later).statusCode(404);
        given().auth().oauth2(Tokens.of("olivia")).post("/api/maintenance-windows/{id}/end", window).then().statusCode(404);
        given().auth().oauth2(Tokens.of("olivia")).delete("/api/maintenance-windows/{id}", window).then().statusCode(404);
        given().auth().oauth2(Tokens.of("olivia")).get("/api/maintenance-windows").then().statusCode(200)
                .body("id", not(hasItem(window)));

        // a group window of Coastal, by its manager: its practice managers see it, another group's manager does not
        Map<String, Object> coastal = new HashMap<>(later);
        coastal.remove("practiceId");
        coastal.put("groupId", DemoTenancy.COASTAL);
        String groupWindow = post("grace", coastal).statusCode(201).body("practiceId", org.hamcrest.Matchers.nullValue()).extract().path("id");
        given().auth().oauth2(Tokens.of("pat")).queryParam("practiceId", DemoTenancy.HARBOUR_STREET).get("/api/maintenance-windows").then()
                .statusCode(200).body("id", hasItem(groupWindow));
        given().auth().oauth2(Tokens.of("paula")).get("/api/maintenance-windows").then().statusCode(200).body("id", hasItem(groupWindow));
        given().auth().oauth2(Tokens.of("gary")).get("/api/maintenance-windows").then().statusCode(200).body("id", not(hasItem(groupWindow)));
        given().auth().oauth2(Tokens.of("gary")).queryParam("groupId", DemoTenancy.COASTAL).get("/api/maintenance-windows").then()
                .statusCode(404);
        post("pat", coastal).statusCode(403);
        post("grace", later).statusCode(404); // a practice of another group: not grace's to see
        given().auth().oauth2(Tokens.of("gary")).delete("/api/maintenance-windows/{id}", groupWindow).then().statusCode(404);
        given().auth().oauth2(Tokens.of("grace")).delete("/api/maintenance-windows/{id}", groupWindow).then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        given().auth().oauth2(Tokens.of("tom")).delete("/api/maintenance-windows/{id}", window).then().statusCode(200);
    }

    @Test
    void windowsChainedBackToBackCannotHideAPracticeForMoreThanFourteenDays() {
        Practice practice = fleet.newPractice("Chain Lane Surgery " + UUID.randomUUID());
        Practice neighbour = fleet.newPracticeIn(practice.groupId, "Chain Lane Annex " + UUID.randomUUID());
        Instant now = Instant.now();
        Instant tenDays = now.plus(Duration.ofDays(10));
        post("tom", Map.of("practiceId", practice.id, "endsAt", tenDays.toString(), "reason", "Closed for refurbishment")).statusCode(201);

        // the next window starts as the first ends: 20 days without a break
        post("tom", Map.of("practiceId", practice.id, "startsAt", tenDays.toString(), "endsAt", now.plus(Duration.ofDays(20)).toString(),
                "reason", "Still closed")).statusCode(400).body("errors[0].field", equalTo("endsAt"))
                .body("errors[0].message", containsString("with the windows already scheduled it would be in maintenance without a break"))
                .body("errors[0].message", containsString("); at most 14 days, so that failing backups cannot stay hidden for weeks"));
        // the group's window covers the practice too, and so chains with its own window
        post("tom", Map.of("groupId", practice.groupId, "startsAt", now.plus(Duration.ofDays(9)).toString(),
                "endsAt", now.plus(Duration.ofDays(16)).toString(), "reason", "Group-wide server move")).statusCode(400)
                .body("errors[0].field", equalTo("endsAt"));
        // a window for the other practice of the group, or one after a break, is fine
        post("tom", Map.of("practiceId", neighbour.id, "startsAt", tenDays.toString(), "endsAt", now.plus(Duration.ofDays(20)).toString(),
                "reason", "Annex works")).statusCode(201);
        post("tom", Map.of("practiceId", practice.id, "startsAt", now.plus(Duration.ofDays(11)).toString(),
                "endsAt", now.plus(Duration.ofDays(12)).toString(), "reason", "Cabling")).statusCode(201);
        list("alice", practice, "all").statusCode(200).body("reason", containsInAnyOrder("Closed for refurbishment", "Cabling"));
    }

    private static ValidatableResponse post(String who, Map<String, ?> body) {
        return given().auth().oauth2(Tokens.of(who)).contentType(ContentType.JSON).body(body).post("/api/maintenance-windows").then();
    }

    private static ValidatableResponse list(String who, Practice practice, String state) {
        return given().auth().oauth2(Tokens.of(who)).queryParam("practiceId", practice.id).queryParam("state", state)
                .get("/api/maintenance-windows").then();
    }
}
