package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.rampart.controlplane.alerts.AlertTesting.subject;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.MovableClock;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * Maintenance windows and the emails of the alerts, through the real compliance topic, PostgreSQL and SMTP server, with
 * the control plane's clock moved by the test: a failure inside a window is emailed when the window ends (naturally or
 * early) if it still fails; one that recovers inside it is emailed to nobody, and the alert history keeps both. Deliveries
 * are sent at the clock's time: they are written at it, a little after the instant the clock was set to.
 */
@QuarkusTest
@TestProfile(MaintenanceWindowEmailsTest.SetClock.class)
@QuarkusTestResource(RealServers.class)
class MaintenanceWindowEmailsTest {

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
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    AlertReminders reminders;

    @Test
    void aFailureInsideAWindowIsEmailedWhenTheWindowEndsIfItStillFailsAndOtherPracticesAreEmailedAtOnce() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(t0);
        Practice inWindow = fleet.newPractice("Quiet Works Surgery " + UUID.randomUUID());
        Practice groupFirst = fleet.newPractice("Server Room Surgery " + UUID.randomUUID());
        Practice groupSecond = fleet.newPracticeIn(groupFirst.groupId, "Server Room Annex " + UUID.randomUUID());
        Practice elsewhere = fleet.newPractice("Business As Usual Surgery " + UUID.randomUUID());
        Map<Practice, String> it = new HashMap<>();
        for (Practice practice : List.of(inWindow, groupFirst, groupSecond, elsewhere)) {
            it.put(practice, "it-" + UUID.randomUUID() + "@northwind.example");
            addContact(practice, "Service desk", it.get(practice), "IT_CONTACT");
            evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        }
        evidence.evaluateAllDue(t0);
        schedule(Map.of("practiceId", inWindow.id, "endsAt", t0.plus(Duration.ofHours(32)).toString(), "reason", "Replacing the NAS"));
        String groupWindow =
                schedule(Map.of("groupId", groupFirst.groupId, "endsAt", t0.plus(Duration.ofDays(3)).toString(), "reason", "Moving the server room"));

        Instant failedAt = t0.plus(Duration.ofHours(30));
        clock.set(failedAt);
        for (Practice practice : List.of(inWindow, groupFirst, groupSecond, elsewhere)) {
            evidence.reportHeartbeat(practice, failedAt); // the agents still call in: their NAS copies are what fail
        }
        evidence.evaluateAllDue(failedAt);                                     // nas-copy FAIL: 32 h old
        for (Practice practice : List.of(inWindow, groupFirst, groupSecond, elsewhere)) {
            awaitAlert(practice, "nas-copy", "OPEN");
        }
        AlertTesting.sendAllDue(delivery, clock.instant());
        awaitFailureEmail(elsewhere, it.get(elsewhere));
        assertThat(nasCopyMessagesTo(it.get(inWindow), it.get(groupFirst), it.get(groupSecond))).as("held by the windows").isEmpty();

        // a day on, the practice outside any window is reminded; those inside one are not nagged
        reminders.remindDue(failedAt.plus(Duration.ofHours(25)));
        assertThat(remindersOf(elsewhere)).isEqualTo(1);
        assertThat(remindersOf(inWindow) + remindersOf(groupFirst) + remindersOf(groupSecond)).isZero();

        // the practice's window ends with its copy still failing: the failure email goes out then
        Instant windowEnd = t0.plus(Duration.ofHours(32));
        AlertTesting.sendAllDue(delivery, windowEnd.minusSeconds(1));
        assertThat(nasCopyMessagesTo(it.get(inWindow))).isEmpty();
        clock.set(windowEnd.plusSeconds(1));
        AlertTesting.sendAllDue(delivery, clock.instant());
        awaitFailureEmail(inWindow, it.get(inWindow));
        assertThat(nasCopyMessagesTo(it.get(groupFirst), it.get(groupSecond))).as("the group's window goes on").isEmpty();

        // the group's window is ended early by the technician: every practice of the group is told now
        given().auth().oauth2(Tokens.of("tom")).post("/api/maintenance-windows/{id}/end", groupWindow).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("ENDED")).body("endedEarlyBy", org.hamcrest.Matchers.equalTo("tom"));
        AlertTesting.sendAllDue(delivery, clock.instant());
        awaitFailureEmail(groupFirst, it.get(groupFirst));
        awaitFailureEmail(groupSecond, it.get(groupSecond));
        // the failure once each; the practice outside any window its reminder too
        await().atMost(Duration.ofSeconds(30)).until(() -> nasCopyMessagesTo(it.get(elsewhere)).size() == 2);
        assertThat(nasCopyMessagesTo(it.get(inWindow), it.get(groupFirst), it.get(groupSecond))).hasSize(3);
    }

    @Test
    void aFailureThatRecoversInsideTheWindowIsEmailedToNobodyAndTheAlertHistoryKeepsBoth() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(t0);
        Practice practice = fleet.newPractice("Disk Swap Surgery " + UUID.randomUUID());
        Practice neighbour = fleet.newPracticeIn(practice.groupId, "Disk Swap Neighbour " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        String neighbourIt = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(practice, "Service desk", it, "IT_CONTACT");
        addContact(neighbour, "Service desk", neighbourIt, "IT_CONTACT");
        for (Practice each : List.of(practice, neighbour)) {
            evidence.reportNasCopy(each, t0, t0.minus(Duration.ofHours(2)));
        }
        evidence.evaluateAllDue(t0);
        schedule(Map.of("practiceId", practice.id, "endsAt", t0.plus(Duration.ofHours(40)).toString(), "reason", "Swapping the NAS disks"));

        Instant failedAt = t0.plus(Duration.ofHours(30));
        clock.set(failedAt);
        for (Practice each : List.of(practice, neighbour)) {
            evidence.reportHeartbeat(each, failedAt); // the agents still call in: their NAS copies are what fail
        }
        evidence.evaluateAllDue(failedAt);
        awaitAlert(practice, "nas-copy", "OPEN");
        awaitAlert(neighbour, "nas-copy", "OPEN");
        // deliveries go out as they fall due: the neighbour is told at once, the practice in its window is not
        AlertTesting.sendAllDue(delivery, clock.instant());
        await().atMost(Duration.ofSeconds(30)).until(() -> nasCopyMessagesTo(neighbourIt).size() == 1);
        Instant recoveredAt = t0.plus(Duration.ofHours(31));
        clock.set(recoveredAt);
        for (Practice each : List.of(practice, neighbour)) {
            evidence.reportNasCopy(each, recoveredAt, recoveredAt.minus(Duration.ofHours(1)));
        }
        evidence.evaluateAllDue(recoveredAt);
        Map<String, Object> alert = awaitAlert(practice, "nas-copy", "RESOLVED");
        awaitAlert(neighbour, "nas-copy", "RESOLVED");

        Instant after = t0.plus(Duration.ofHours(40)).plusSeconds(1);
        clock.set(after);
        AlertTesting.sendAllDue(delivery, clock.instant());
        await().atMost(Duration.ofSeconds(30)).until(() -> nasCopyMessagesTo(neighbourIt).size() == 2);
        assertThat(nasCopyMessagesTo(neighbourIt)).extracting(AlertTesting::subject).containsExactlyInAnyOrder(
                "[Rampart] FAILED: Daily copy on the NAS at " + neighbour.name, "[Rampart] Recovered: Daily copy on the NAS at " + neighbour.name);
        // the agent's silence recovered inside the window too; only what still fails at the end (the practice has no manager
        // among its contacts: the contacts rule) is told
        assertThat(messagesTo(List.of(it))).extracting(AlertTesting::subject).noneMatch(subject -> subject.contains("Daily copy on the NAS")
                || subject.contains("Rampart agent") || subject.startsWith("[Rampart] Recovered"));

        // the history still says it failed and recovered, and why nobody was emailed
        assertThat(Instant.parse((String) alert.get("openedAt"))).isEqualTo(failedAt);
        assertThat(alert.get("resolvedAt")).isNotNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) awaitAlert(practice, "nas-copy", "RESOLVED").get("notifications");
        assertThat(deliveries).filteredOn(d -> "EMAIL".equals(d.get("channel"))).singleElement().satisfies(d -> {
            assertThat(d.get("kind")).isEqualTo("FAILURE");
            assertThat(d.get("status")).isEqualTo("SKIPPED");
            assertThat((String) d.get("lastError")).startsWith("Not sent: Daily copy on the NAS failed and recovered inside the maintenance window until ")
                    .endsWith("(Swapping the NAS disks), so there was nothing to tell");
        });
    }

    @Test
    void aFailureToldBeforeTheWindowHasItsRecoveryToldWhenTheWindowEnds() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(t0);
        Practice practice = fleet.newPractice("Told Before Surgery " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(practice, "Service desk", it, "IT_CONTACT");
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        Instant failedAt = t0.plus(Duration.ofHours(30));
        clock.set(failedAt);
        evidence.reportHeartbeat(practice, failedAt); // the agent still calls in: its NAS copy is what fails
        evidence.evaluateAllDue(failedAt);
        awaitAlert(practice, "nas-copy", "OPEN");
        AlertTesting.sendAllDue(delivery, clock.instant());
        awaitFailureEmail(practice, it);

        // the technician starts work on it; the copy recovers during the work
        schedule(Map.of("practiceId", practice.id, "endsAt", failedAt.plus(Duration.ofHours(4)).toString(), "reason", "Repairing the NAS"));
        Instant recoveredAt = failedAt.plus(Duration.ofHours(1));
        clock.set(recoveredAt);
        evidence.reportNasCopy(practice, recoveredAt, recoveredAt.minus(Duration.ofMinutes(10)));
        evidence.evaluateAllDue(recoveredAt);
        awaitAlert(practice, "nas-copy", "RESOLVED");
        AlertTesting.sendAllDue(delivery, clock.instant());
        assertThat(nasCopyMessagesTo(it)).hasSize(1);

        Instant end = failedAt.plus(Duration.ofHours(4));
        clock.set(end);
        AlertTesting.sendAllDue(delivery, clock.instant());
        await().atMost(Duration.ofSeconds(30)).until(() -> nasCopyMessagesTo(it).size() == 2);
        assertThat(nasCopyMessagesTo(it)).extracting(AlertTesting::subject)
                .contains("[Rampart] Recovered: Daily copy on the NAS at " + practice.name);
    }

    @Test
    void aWindowThatEndsInQuietHoursLetsANonCriticalFailureWaitForTheirEnd() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(t0);
        Practice practice = fleet.newPractice("Night Works Surgery " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(practice, "Service desk", it, "IT_CONTACT");
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        Instant failedAt = t0.plus(Duration.ofHours(30));
        // quiet from an hour after the failure to six hours after it; nas-copy is not critical for this group
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC);
        Map<String, Object> quiet = Map.of("from", hhmm.format(failedAt.plus(Duration.ofHours(1))), "to", hhmm.format(failedAt.plus(Duration.ofHours(6))));
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("quietHours", quiet, "criticalRules", List.of(), "timeZone", "UTC"))
                .put("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200);
        Instant windowEnd = failedAt.plus(Duration.ofHours(2)); // overnight work that ends inside the quiet hours
        schedule(Map.of("practiceId", practice.id, "endsAt", windowEnd.toString(), "reason", "Overnight server work"));

        clock.set(failedAt);
        evidence.reportHeartbeat(practice, failedAt); // the agent still calls in: its NAS copy is what fails
        evidence.evaluateAllDue(failedAt);
        awaitAlert(practice, "nas-copy", "OPEN");
        AlertTesting.sendAllDue(delivery, clock.instant());
        assertThat(nasCopyMessagesTo(it)).as("held by the window").isEmpty();

        clock.set(windowEnd.plusSeconds(1));
        AlertTesting.sendAllDue(delivery, clock.instant());
        assertThat(nasCopyMessagesTo(it)).as("the window ended inside the quiet hours").isEmpty();

        Instant quietEnds = failedAt.plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.MINUTES);
        clock.set(quietEnds);
        AlertTesting.sendAllDue(delivery, clock.instant());
        await().atMost(Duration.ofSeconds(30)).until(() -> nasCopyMessagesTo(it).size() == 1);
        assertThat(nasCopyMessagesTo(it)).extracting(AlertTesting::subject)
                .containsExactly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
    }

    private static String schedule(Map<String, Object> window) {
        return given().auth().oauth2(Tokens.of("tom")).contentType(ContentType.JSON).body(window).post("/api/maintenance-windows")
                .then().statusCode(201).extract().path("id");
    }

    private static void awaitFailureEmail(Practice practice, String recipient) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !nasCopyMessagesTo(recipient).isEmpty());
        assertThat(nasCopyMessagesTo(recipient)).singleElement().extracting(AlertTesting::subject)
                .isEqualTo("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
    }

    private static long remindersOf(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.count(
                "kind = ?1 and alertId in (select a.id from Alert a where a.practiceId = ?2 and a.ruleId = 'nas-copy')",
                Notification.Kind.REMINDER, practice.id));
    }

    private static List<MimeMessage> nasCopyMessagesTo(String... recipients) {
        return messagesTo(List.of(recipients)).stream().filter(message -> subject(message).contains("Daily copy on the NAS")).toList();
    }
}
