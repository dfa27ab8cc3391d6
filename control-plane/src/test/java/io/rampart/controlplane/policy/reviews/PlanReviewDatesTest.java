package io.rampart.controlplane.policy.reviews;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.testing.MovableClock;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * A date a person types for a plan review means that day in the group's time zone, and "today" is never
 * refused as future, whatever the hour in UTC: the control plane's clock is set by the test.
 */
@QuarkusTest
@TestProfile(PlanReviewDatesTest.SetClock.class)
@QuarkusTestResource(RealServers.class)
class PlanReviewDatesTest {

    public static class SetClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    @Inject
    MovableClock clock;
    @Inject
    TestFleet fleet;

    private Practice practiceIn(String zone) {
        Practice practice = fleet.newPractice("Surgery in " + zone);
        QuarkusTransaction.requiringNew().run(() -> PracticeGroup.<PracticeGroup> findById(practice.groupId).timeZone = zone);
        return practice;
    }

    private static ValidatableResponse review(UUID practiceId, String day) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body("{\"reviewedAt\": \"" + day + "\", \"note\": \"reviewed the restore procedure\"}")
                .post("/api/practices/{id}/plan-reviews", practiceId).then();
    }

    @Test
    void changingAGroupsNotificationSettingsWithoutAZoneKeepsTheGroupsZone() {
        Practice practice = practiceIn("Australia/Melbourne");

        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{\"alertOnAtRisk\": true}")
                .put("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200)
                .body("timeZone", equalTo("Australia/Melbourne"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> PracticeGroup.<PracticeGroup> findById(practice.groupId).timeZone))
                .isEqualTo("Australia/Melbourne");
    }

    @Test
    void todayInMelbourneIsAcceptedAtOneInTheMorningUtc() {
        clock.set(Instant.parse("2026-11-30T01:00:00Z"));
        Practice practice = practiceIn("Australia/Melbourne");

        String recorded = review(practice.id, "2026-11-30").statusCode(201).extract().path("reviewedAt");
        assertThat(Instant.parse(recorded)).isBetween(Instant.parse("2026-11-30T01:00:00Z"), Instant.parse("2026-11-30T01:05:00Z"));
        // yesterday in Melbourne: noon there
        review(practice.id, "2026-11-29").statusCode(201).body("reviewedAt", equalTo("2026-11-29T01:00:00Z"));
        // tomorrow everywhere on Earth
        review(practice.id, "2026-12-01").statusCode(400).body("errors[0].field", equalTo("reviewedAt"))
                .body("errors[0].message", containsString("today in Australia/Melbourne is 2026-11-30"));
    }

    @Test
    void todayIsAcceptedAtElevenAtNightUtcInZonesAheadAndBehind() {
        clock.set(Instant.parse("2026-11-30T23:00:00Z"));
        Practice melbourne = practiceIn("Australia/Melbourne");
        Practice london = practiceIn("Europe/London");
        Practice losAngeles = practiceIn("America/Los_Angeles");

        // 10:00 on 1 Dec in Melbourne, 23:00 on 30 Nov in London, 15:00 on 30 Nov in Los Angeles
        review(melbourne.id, "2026-12-01").statusCode(201);
        review(melbourne.id, "2026-11-30").statusCode(201).body("reviewedAt", equalTo("2026-11-30T01:00:00Z"));
        review(london.id, "2026-11-30").statusCode(201);
        review(losAngeles.id, "2026-11-30").statusCode(201);
        // a person in Auckland records today for a London group: it is 1 Dec where they are
        review(london.id, "2026-12-01").statusCode(201);
        review(london.id, "2026-12-02").statusCode(400).body("errors[0].message", containsString("today in Europe/London is 2026-11-30"));
    }
}
