package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.rampart.controlplane.alerts.NasEvidence.freshNasCopy;
import static io.rampart.controlplane.alerts.NasEvidence.restorePassed;
import static io.rampart.controlplane.alerts.NasEvidence.unreachable;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.MovableClock;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * The group managers' daily digest tells the same story as the emails: the checks of a practice whose agent is silent are
 * unknown, listed under its not-reporting line and never as failures, and those that ended quietly are not "recovered";
 * a practice in a maintenance window says so, until when in the group's time zone, and its planned failures are not
 * news. Real PostgreSQL, Kafka and SMTP (GreenMail); the control plane's clock is moved.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(NasIncidentScene.SetClock.class)
class DigestUnderSilenceAndMaintenanceTest {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    MovableClock clock;
    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    DailyDigests digests;

    @Test
    void aSilentAgentsChecksAreUnknownUnderItsNotReportingLineAndThoseThatEndedQuietlyAreNotRecovered() {
        Practice practice = practiceWatchingTheNas("Quiet Quay Surgery " + UUID.randomUUID(), "UTC");
        String manager = groupManagerOf(practice);
        Instant t0 = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t0, List.of(freshNasCopy(t0.minus(Duration.ofHours(2))), restorePassed()));
        evidence.evaluateAllDue(t0);
        // the practice server is switched off: 30 h later the heartbeat fails, and nas-copy on its aged evidence
        Instant silent = at(t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(silent);
        awaitAlert(practice, "agent-heartbeat", "OPEN");
        awaitAlert(practice, "nas-copy", "OPEN");

        Instant firstDigest = at(silent.plus(Duration.ofHours(1)));
        String body = digestBody(practice, manager, firstDigest);
        assertThat(body).contains(
                "Needs attention: 1 open alert, 1 not acknowledged by anyone; 1 more check unknown while the agent is not reporting",
                "  - " + practice.name + ": the Rampart agent is not reporting, for 1 h 0 min (NOT ACKNOWLEDGED). "
                        + "the agent last called in 30 h ago (limit 10 min)",
                "      Unknown while it is not reporting (nobody is emailed about these on their own): Daily copy on the NAS",
                "Recovered in the last 24 hours: none.");
        assertThat(body).doesNotContain("Daily copy on the NAS, failing for");

        // the server is on again with a fresh NAS copy: the agent's recovery was emailed, the NAS copy's quiet end was not
        Instant back = at(firstDigest.plus(Duration.ofHours(1)));
        evidence.reportChecks(practice, back, List.of(freshNasCopy(back.minus(Duration.ofHours(1))), restorePassed()));
        evidence.evaluateAllDue(back);
        awaitAlert(practice, "agent-heartbeat", "RESOLVED");
        awaitAlert(practice, "nas-copy", "RESOLVED");

        String nextDay = digestBody(practice, manager, at(firstDigest.plus(Duration.ofDays(1))));
        assertThat(nextDay).contains("Nothing needs attention: no alert is open.", "Recovered in the last 24 hours: 1",
                "  - " + practice.name + ": Rampart agent, working again after 2 h 0 min");
        assertThat(nextDay).doesNotContain("Daily copy on the NAS");
    }

    @Test
    void aPracticeInMaintenanceSaysUntilWhenInTheGroupsZoneAndItsPlannedFailuresAreNotNews() {
        Practice practice = practiceWatchingTheNas("Works Yard Surgery " + UUID.randomUUID(), "America/New_York");
        String manager = groupManagerOf(practice);
        Instant t = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t, List.of(freshNasCopy(t.minus(Duration.ofHours(2))), restorePassed()));
        evidence.evaluateAllDue(t);

        Instant windowEnd = t.plus(Duration.ofHours(6));
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("practiceId", practice.id, "endsAt", windowEnd.toString(), "reason", "Replacing the NAS"))
                .post("/api/maintenance-windows").then().statusCode(201);
        // the old NAS is unplugged: its copy and the restore test fail; the restore test passes again on the new one
        Instant unplugged = at(t.plus(Duration.ofMinutes(10)));
        evidence.reportChecks(practice, unplugged, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                unreachable("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST)));
        evidence.evaluateAllDue(unplugged);
        awaitAlert(practice, "nas-copy", "OPEN");
        awaitAlert(practice, "restore-test", "OPEN");
        Instant restored = at(unplugged.plus(Duration.ofHours(1)));
        evidence.reportChecks(practice, restored, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER), restorePassed()));
        evidence.evaluateAllDue(restored);
        awaitAlert(practice, "restore-test", "RESOLVED");

        String until = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm", Locale.ENGLISH).format(windowEnd.atZone(ZoneId.of("America/New_York")))
                + " EST";
        String body = digestBody(practice, manager, at(restored.plus(Duration.ofHours(1))));
        assertThat(body).contains(
                "In maintenance now (nothing about them is emailed until it ends):",
                "  - " + practice.name + " until " + until + ": Replacing the NAS",
                "Needs attention: 0 open alerts, 0 not acknowledged by anyone; 1 check failing inside a maintenance window",
                "  - " + practice.name + " (in maintenance until " + until + "): 1 check failing since its planned maintenance began "
                        + "(Replacing the NAS), emailed only if still failing when it ends: Daily copy on the NAS",
                "Recovered in the last 24 hours: none.");
        assertThat(body).doesNotContain("Daily copy on the NAS, failing for", "Restore test");
    }

    /** The group's digest written at {@code now} (its digest time a minute before, in the group's zone) and sent by SMTP. */
    private String digestBody(Practice practice, String manager, Instant now) {
        ZoneId zone = ZoneId.of(given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/notification-settings", practice.groupId)
                .then().statusCode(200).extract().<String> path("timeZone"));
        int before = messagesTo(List.of(manager)).size();
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("digestTime", HH_MM.format(now.minus(Duration.ofMinutes(1)).atZone(zone))))
                .put("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200);
        assertThat(digests.writeDue(now)).isPositive();
        AlertTesting.sendAllDue(delivery, now);
        var messages = messagesTo(List.of(manager));
        assertThat(messages).hasSize(before + 1);
        return GreenMailUtil.getBody(messages.get(messages.size() - 1)).replace("\r\n", "\n");
    }

    /** A practice in a group of its own (in {@code zone}) that checks its NAS copy and a restore test, with its contacts. */
    private Practice practiceWatchingTheNas(String name, String zone) {
        Practice practice = fleet.newPractice(name);
        fleet.addCheck(practice.groupId, "restore-test", "RESTORE_TEST", "{}");
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("groupWindow", "PT5M", "timeZone", zone))
                .put("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200);
        addContact(practice, "Northwind service desk", "it-" + UUID.randomUUID() + "@northwind.example", "IT_CONTACT");
        addContact(practice, "Dr Pat Manager", "manager-" + UUID.randomUUID() + "@practice.example", "PRACTICE_MANAGER");
        return practice;
    }

    private static String groupManagerOf(Practice practice) {
        String manager = "ops-" + UUID.randomUUID() + "@group.example";
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Olga Ops", "email", manager, "role", "GROUP_MANAGER"))
                .post("/api/groups/{id}/contacts", practice.groupId).then().statusCode(201);
        return manager;
    }

    private Instant at(Instant instant) {
        clock.set(instant);
        return instant;
    }
}
