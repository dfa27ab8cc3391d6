package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.rampart.controlplane.alerts.AlertTesting.subject;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * Who is told what, and when, beyond the failure email: escalation to the provider's on-call
 * address, quiet hours, AT_RISK alerts for groups that ask, and the group managers' daily digest.
 * Time is passed in (evaluations, escalations and digests take {@code now}), and every email goes
 * through a real SMTP server.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class NotificationRoutingTest {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    AlertEscalations escalations;
    @Inject
    DailyDigests digests;

    @Test
    void aCriticalAlertNobodyAcknowledgesEscalatesToTheOnCallAddressOnceAfterTheDelay() {
        String onCall = "oncall-" + UUID.randomUUID() + "@northwind.example";
        putProviderSettings(Map.of("onCallEmail", onCall, "escalateAfter", "PT1H", "timeZone", "Europe/London", "digestTime", "07:00"))
                .then().statusCode(200).body("onCallEmail", equalTo(onCall)).body("escalateAfter", equalTo("PT1H"));
        Practice ignored = fleet.newPractice("Night Lane Surgery " + UUID.randomUUID());
        Practice acknowledged = fleet.newPractice("Day Lane Surgery " + UUID.randomUUID());
        Practice notCritical = fleet.newPractice("Slow Lane Surgery " + UUID.randomUUID());
        putGroupSettings(notCritical, Map.of("criticalRules", List.of("db-sync"))).then().statusCode(200);

        Instant failedAt = failNasCopy(ignored, acknowledged, notCritical);
        Map<String, Object> ignoredAlert = awaitAlert(ignored, "nas-copy", "OPEN");
        Map<String, Object> acknowledgedAlert = awaitAlert(acknowledged, "nas-copy", "OPEN");
        awaitAlert(notCritical, "nas-copy", "OPEN");
        assertThat(Instant.parse((String) ignoredAlert.get("openedAt"))).isEqualTo(failedAt);
        given().auth().oauth2(Tokens.of("tom")).contentType(ContentType.JSON).body(Map.of("note", "on it"))
                .post("/api/alerts/{id}/acknowledge", acknowledgedAlert.get("id")).then().statusCode(200);

        escalations.escalateDue(failedAt.plus(Duration.ofMinutes(59)));
        AlertTesting.sendAllDue(delivery, failedAt.plus(Duration.ofMinutes(59)));
        assertThat(escalationsAbout(onCall, ignored, acknowledged, notCritical)).isEmpty();

        escalations.escalateDue(failedAt.plus(Duration.ofMinutes(61)));
        escalations.escalateDue(failedAt.plus(Duration.ofHours(5)));
        AlertTesting.sendAllDue(delivery, failedAt.plus(Duration.ofHours(5)));
        // every practice of the provider escalates to its on-call address (its other failing rules too): these are the NAS copy's
        assertThat(escalationsAbout(onCall, ignored, acknowledged, notCritical)).singleElement().satisfies(message -> {
            assertThat(message.getSubject())
                    .isEqualTo("[Rampart] ESCALATED: Daily copy on the NAS at " + ignored.name + ", unacknowledged for 1 h 1 min");
            assertThat(GreenMailUtil.getBody(message)).contains("nobody has acknowledged it", "on-call address",
                    "What to do first: Check the backup job on the practice server");
        });
        assertThat(alert(ignored, "nas-copy").get("escalatedAt")).isNotNull();
        assertThat(alert(acknowledged, "nas-copy").get("escalatedAt")).isNull();
        assertThat(alert(notCritical, "nas-copy").get("escalatedAt")).isNull();
    }

    @Test
    void quietHoursHoldEmailsAboutNonCriticalRulesUntilTheyEndButNeverCriticalOnes() {
        Instant now = Instant.now();
        Map<String, Object> quiet = Map.of("from", HH_MM.format(now.minus(Duration.ofHours(1))), "to", HH_MM.format(now.plus(Duration.ofHours(1))));
        Practice waits = fleet.newPractice("Quiet Close Surgery " + UUID.randomUUID());
        Practice urgent = fleet.newPractice("Loud Close Surgery " + UUID.randomUUID());
        putGroupSettings(waits, Map.of("quietHours", quiet, "criticalRules", List.of(), "timeZone", "UTC")).then().statusCode(200)
                .body("quietHours.from", equalTo(quiet.get("from"))).body("criticalRules.size()", equalTo(0));
        putGroupSettings(urgent, Map.of("quietHours", quiet, "timeZone", "UTC")).then().statusCode(200)
                .body("criticalRules", org.hamcrest.Matchers.hasItem("nas-copy"));
        String waitsIt = "it-" + UUID.randomUUID() + "@northwind.example";
        String urgentIt = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(waits, "Service desk", waitsIt, "IT_CONTACT");
        addContact(urgent, "Service desk", urgentIt, "IT_CONTACT");

        failNasCopy(waits, urgent);
        awaitAlert(waits, "nas-copy", "OPEN");
        awaitAlert(urgent, "nas-copy", "OPEN");
        sendAllDue();
        assertThat(nasCopyMessagesTo(urgentIt)).hasSize(1);
        assertThat(nasCopyMessagesTo(waitsIt)).isEmpty();

        Instant quietEnds = LocalTime.parse((String) quiet.get("to")).atDate(now.atZone(ZoneOffset.UTC).toLocalDate()).toInstant(ZoneOffset.UTC);
        if (quietEnds.isBefore(now)) {
            quietEnds = quietEnds.plus(Duration.ofDays(1)); // the quiet hours span midnight
        }
        Notification held = QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> find(
                "recipient = ?1 and alertId in (select a.id from Alert a where a.ruleId = 'nas-copy')", waitsIt).singleResult());
        assertThat(held.nextAttemptAt).isEqualTo(quietEnds);
        AlertTesting.sendAllDue(delivery, quietEnds.minusSeconds(1));
        assertThat(nasCopyMessagesTo(waitsIt)).isEmpty();
        AlertTesting.sendAllDue(delivery, quietEnds);
        assertThat(nasCopyMessagesTo(waitsIt)).singleElement()
                .satisfies(message -> assertThat(message.getSubject()).startsWith("[Rampart] FAILED: Daily copy on the NAS"));
    }

    @Test
    void aGroupThatAsksHearsOfAtRiskFirstAndOfTheFailureAfterOthersOnlyOfTheFailure() {
        Practice asks = fleet.newPractice("Early Bird Surgery " + UUID.randomUUID());
        Practice doesNot = fleet.newPractice("Late Owl Surgery " + UUID.randomUUID());
        putGroupSettings(asks, Map.of("alertOnAtRisk", true)).then().statusCode(200).body("alertOnAtRisk", equalTo(true));
        String asksManager = "manager-" + UUID.randomUUID() + "@early.example";
        String doesNotManager = "manager-" + UUID.randomUUID() + "@late.example";
        addContact(asks, "Early manager", asksManager, "PRACTICE_MANAGER");
        addContact(doesNot, "Late manager", doesNotManager, "PRACTICE_MANAGER");

        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(asks, t0, t0.minus(Duration.ofHours(2)));
        evidence.reportNasCopy(doesNot, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        // the agents still call in: their NAS copies are what ages
        evidence.reportHeartbeat(asks, t0.plus(Duration.ofHours(25)));
        evidence.reportHeartbeat(doesNot, t0.plus(Duration.ofHours(25)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(25)));  // newest NAS copy 27 h old: inside the 2 h grace
        Map<String, Object> atRisk = awaitAlert(asks, "nas-copy", "OPEN");
        assertThat(atRisk.get("level")).isEqualTo("AT_RISK");
        sendAllDue();
        assertThat(nasCopyMessagesTo(asksManager)).singleElement().satisfies(message -> {
            assertThat(message.getSubject()).isEqualTo("[Rampart] AT RISK: Daily copy on the NAS at " + asks.name);
            assertThat(GreenMailUtil.getBody(message)).contains("will fail soon unless someone acts", "27 h");
        });

        // someone acknowledges the risk; that is not an acknowledgement of the failure that follows
        given().auth().oauth2(Tokens.of("tom")).contentType(ContentType.JSON).body(Map.of("note", "watching it"))
                .post("/api/alerts/{id}/acknowledge", atRisk.get("id")).then().statusCode(200);

        evidence.reportHeartbeat(asks, t0.plus(Duration.ofHours(30)));
        evidence.reportHeartbeat(doesNot, t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));  // 32 h old: failing
        awaitAlert(doesNot, "nas-copy", "OPEN");
        Map<String, Object> failing = awaitAlertAtLevel(asks, "FAIL");
        assertThat(failing.get("id")).isEqualTo(atRisk.get("id"));
        assertThat(failing.get("status")).isEqualTo("OPEN");
        assertThat(failing.get("acknowledgedBy")).isNull();
        sendAllDue();
        assertThat(nasCopyMessagesTo(asksManager)).extracting(AlertTesting::subject)
                .containsExactlyInAnyOrder("[Rampart] AT RISK: Daily copy on the NAS at " + asks.name,
                        "[Rampart] FAILED: Daily copy on the NAS at " + asks.name);
        assertThat(nasCopyMessagesTo(doesNotManager)).extracting(AlertTesting::subject)
                .containsExactly("[Rampart] FAILED: Daily copy on the NAS at " + doesNot.name);
    }

    @Test
    void aRiskThatFailsBeforeItsWarningWentOutIsOneFailureEmailNotAStaleWarningBesideIt() {
        Practice practice = fleet.newPractice("Held Warning Surgery " + UUID.randomUUID());
        putGroupSettings(practice, Map.of("alertOnAtRisk", true, "groupWindow", "PT5M")).then().statusCode(200);
        String manager = "manager-" + UUID.randomUUID() + "@held.example";
        addContact(practice, "Held manager", manager, "PRACTICE_MANAGER");
        addContact(practice, "Service desk", "it-" + UUID.randomUUID() + "@held.example", "IT_CONTACT");  // so only nas-copy fails

        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(25)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(25)));  // 27 h old: at risk, its warning held for the group window
        assertThat(awaitAlert(practice, "nas-copy", "OPEN").get("level")).isEqualTo("AT_RISK");
        evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));  // 32 h old: failing, while the warning still waits
        awaitAlertAtLevel(practice, "FAIL");

        AlertTesting.sendAllDue(delivery, Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(manager))).extracting(AlertTesting::subject)
                .containsExactly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
        List<Notification> warnings = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> list(
                "practiceId = ?1 and kind = ?2 and channel = ?3 and recipient = ?4", practice.id, Notification.Kind.WARNING, Notification.Channel.EMAIL,
                manager));
        assertThat(warnings).singleElement().satisfies(warning -> {
            assertThat(warning.status).isEqualTo(Notification.Status.SKIPPED);
            assertThat(warning.lastError).startsWith("Not sent: it failed at ").endsWith(" before its warning went out");
        });
    }

    @Test
    void groupManagersGetTheGroupsDailyDigestOnceADayInsteadOfEachFailureEmail() {
        Practice practice = fleet.newPractice("Digest Row Surgery " + UUID.randomUUID());
        UUID groupId = practice.groupId;
        String manager = "ops-" + UUID.randomUUID() + "@group.example";
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Olga Ops", "email", manager, "role", "GROUP_MANAGER"))
                .post("/api/groups/{id}/contacts", groupId).then().statusCode(201);
        addContact(practice, "Service desk", it, "IT_CONTACT");
        Instant failedAt = failNasCopy(practice);
        awaitAlert(practice, "nas-copy", "OPEN");
        sendAllDue();
        assertThat(nasCopyMessagesTo(it)).hasSize(1);
        assertThat(messagesTo(List.of(manager))).as("group managers get the digest, not every failure email").isEmpty();

        Instant now = failedAt.plus(Duration.ofHours(3));
        putGroupSettings(practice, Map.of("timeZone", "UTC", "digestTime", HH_MM.format(now.minus(Duration.ofMinutes(1))))).then().statusCode(200);
        digests.writeDue(now);
        digests.writeDue(now.plus(Duration.ofMinutes(5)));
        AlertTesting.sendAllDue(delivery, now.plus(Duration.ofMinutes(5)));

        Practice named = practice;
        assertThat(messagesTo(List.of(manager))).singleElement().satisfies(message -> {
            assertThat(message.getSubject()).startsWith("[Rampart] Daily digest for Group of " + named.name).endsWith(": 1 of 1 practice failing");
            assertThat(GreenMailUtil.getBody(message)).contains("Compliant: 0   At risk: 0   Failing: 1   No data yet: 0",
                    // the NAS copy and the contacts (no practice manager) fail (the group checks nothing else: its other rules
                    // are configuration gaps, which are nobody's failure email): listed in the policy's order
                    "Needs attention: 2 open alerts, 2 not acknowledged by anyone",
                    "  - " + named.name + ": Daily copy on the NAS, failing for 3 h 0 min (NOT ACKNOWLEDGED). last NAS copy 32 h ago",
                    "  - " + named.name + ": Contacts for failure emails, failing for 3 h 0 min", "Recovered in the last 24 hours: none.");
            assertThat(GreenMailUtil.getBody(message)).doesNotContain("Daily image of the server");
            assertThat(GreenMailUtil.getBody(message).indexOf("Daily copy on the NAS"))
                    .isLessThan(GreenMailUtil.getBody(message).indexOf("Contacts for failure emails"));
        });

        // the same digest, as it would go out now, for the people who read it in the web UI
        given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/notification-settings/digest", groupId).then().statusCode(200)
                .body("body", containsString(named.name + ": Daily copy on the NAS"));
        given().auth().oauth2(Tokens.of("alice")).get("/api/notification-settings/digest").then().statusCode(200)
                .body("subject", containsString("Daily digest for Northwind IT Services"))
                .body("body", containsString("Group of " + named.name));
    }

    @Test
    void invalidSettingsAreRefusedFieldByFieldAndChangeNothing() {
        Map<String, Object> before = given().auth().oauth2(Tokens.of("alice")).get("/api/notification-settings").then().statusCode(200)
                .extract().as(Map.class);
        putProviderSettings(Map.of("onCallEmail", "not an address", "escalateAfter", "2 hours", "timeZone", "Mars/Olympus", "digestTime", "7am"))
                .then().statusCode(400).body("detail", equalTo("The notification settings are invalid; nothing was changed"))
                .body("errors.field", containsInAnyOrder("onCallEmail", "escalateAfter", "timeZone", "digestTime"));
        putProviderSettings(Map.of("escalateAfter", "PT1M")).then().statusCode(400).body("errors.field", containsInAnyOrder("escalateAfter"));
        assertThat(given().auth().oauth2(Tokens.of("alice")).get("/api/notification-settings").then().extract().as(Map.class)).isEqualTo(before);

        Practice practice = fleet.newPractice("Typo Street Surgery " + UUID.randomUUID());
        Map<String, Object> quiet = new HashMap<>();
        quiet.put("from", "25:00");
        quiet.put("to", "07:00");
        putGroupSettings(practice, Map.of("quietHours", quiet, "criticalRules", List.of("nas-copy", "backups"), "timeZone", "Europe/Lndon"))
                .then().statusCode(400).body("errors.field", containsInAnyOrder("quietHours.from", "criticalRules", "timeZone"));
        putGroupSettings(practice, Map.of("quietHours", Map.of("from", "22:00"))).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("quietHours.to"));
        given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200)
                .body("quietHours", org.hamcrest.Matchers.nullValue()).body("updatedBy", org.hamcrest.Matchers.nullValue());

        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Olga Ops", "email", "ops@group.example", "role", "GROUP_MANAGER"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(400).body("errors.field", containsInAnyOrder("role"));
        given().auth().oauth2(Tokens.of("tom")).contentType(ContentType.JSON).body(Map.of("onCallEmail", "tom@northwind.example"))
                .put("/api/notification-settings").then().statusCode(403);
    }

    /** Each practice's nas-copy goes FAIL at the returned instant (its newest copy 32 h old). */
    private Instant failNasCopy(Practice... practices) {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Practice practice : practices) {
            evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        }
        evidence.evaluateAllDue(t0);
        Instant failedAt = t0.plus(Duration.ofHours(30));
        for (Practice practice : practices) {
            evidence.reportHeartbeat(practice, failedAt); // the agent still calls in: its NAS copy is what fails
        }
        evidence.evaluateAllDue(failedAt);
        return failedAt;
    }

    private static List<MimeMessage> escalationsAbout(String onCall, Practice... practices) {
        return messagesTo(List.of(onCall)).stream().filter(message -> java.util.Arrays.stream(practices)
                .anyMatch(p -> subject(message).contains("Daily copy on the NAS at " + p.name))).toList();
    }

    private void sendAllDue() {
        AlertTesting.sendAllDue(delivery, Instant.now());
    }

    private static List<MimeMessage> nasCopyMessagesTo(String recipient) {
        return messagesTo(List.of(recipient)).stream().filter(message -> subject(message).contains("Daily copy on the NAS")).toList();
    }

    private static io.restassured.response.Response putProviderSettings(Map<String, ?> settings) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(settings).put("/api/notification-settings");
    }

    private static io.restassured.response.Response putGroupSettings(Practice practice, Map<String, ?> settings) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(settings)
                .put("/api/groups/{id}/notification-settings", practice.groupId);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> alert(Practice practice, String ruleId) {
        List<Map<String, Object>> alerts = given().auth().oauth2(Tokens.of("alice")).queryParam("status", "all").get("/api/alerts").then()
                .statusCode(200).extract().jsonPath().getList("");
        return alerts.stream().filter(a -> practice.id.toString().equals(a.get("practiceId")) && ruleId.equals(a.get("ruleId"))).findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> awaitAlertAtLevel(Practice practice, String level) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> level.equals(alert(practice, "nas-copy").get("level")));
        return alert(practice, "nas-copy");
    }
}
