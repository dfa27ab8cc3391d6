package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.rampart.controlplane.alerts.AlertTesting.subject;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.compliance.v1.ComplianceChanged;

/**
 * A rule going FAIL emails the practice's contacts through a real SMTP server (GreenMail), once;
 * the rule passing again sends the recovery email; a mail server that is down delays the email
 * and loses none.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class FailureEmailsTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    Alerting alerting;
    @Inject
    AlertReminders reminders;

    @Test
    void aFailingCopyEmailsTheContactsInPlainWordsOnceAndItsRecoveryClosesTheLoop() throws Exception {
        Practice practice = fleet.newPractice("Mail Street Surgery " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        String manager = "manager-" + UUID.randomUUID() + "@mailstreet.example";
        addContact(practice, "Northwind service desk", it, "IT_CONTACT");
        addContact(practice, "Dr Jane Mail", manager, "PRACTICE_MANAGER");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);

        evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(30))); // the agent still calls in: its NAS copy is what fails
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));            // nas-copy FAIL: 32 h old
        Map<String, Object> alert = awaitAlert(practice, "nas-copy", "OPEN");
        sendAllDue(Instant.now());

        // every rule failing 30 h on has its own alert and email; this one is the NAS copy's
        List<MimeMessage> failure = nasCopyMessagesTo(List.of(it, manager));
        assertThat(failure).hasSize(2).allSatisfy(message -> {
            assertThat(message.getSubject()).isEqualTo("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
            assertThat(GreenMailUtil.getBody(message)).contains("What we see:     last NAS copy", "What it means:",
                    "What to do first: Check the backup job on the practice server", "/practices/" + practice.id);
        });
        assertThat(((List<?>) alert.get("notifications"))).hasSize(2);

        // the same compliance events again (a consumer restart, a replay) open nothing and send nothing
        List<ComplianceChanged> replay = new ArrayList<>();
        for (var record : TopicReader.readAll("compliance")) {
            ComplianceChanged change = ComplianceChanged.parseFrom(record.value());
            if (change.getPracticeId().equals(practice.id.toString())) {
                replay.add(change);
            }
        }
        QuarkusTransaction.requiringNew().run(() -> alerting.apply(replay));
        sendAllDue(Instant.now());
        assertThat(nasCopyMessagesTo(List.of(it, manager))).hasSize(2);

        // nobody acknowledged it: a day later everyone is reminded, once
        Instant failedAt = t0.plus(Duration.ofHours(30));
        reminders.remindDue(failedAt.plus(Duration.ofHours(25)));
        reminders.remindDue(failedAt.plus(Duration.ofHours(26)));
        sendAllDue(Instant.now());
        assertThat(nasCopyMessagesTo(List.of(it, manager))).filteredOn(message -> subject(message).startsWith("[Rampart] Still failing (reminder 1)"))
                .hasSize(2).allSatisfy(message -> assertThat(GreenMailUtil.getBody(message)).contains("nobody has acknowledged it yet"));

        given().auth().oauth2(Tokens.of("tom")).contentType(ContentType.JSON).body(Map.of("note", "calling the practice"))
                .post("/api/alerts/{id}/acknowledge", alert.get("id")).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED")).body("acknowledgedBy", org.hamcrest.Matchers.equalTo("tom"));

        // acknowledged: no more reminders
        reminders.remindDue(failedAt.plus(Duration.ofHours(80)));
        sendAllDue(Instant.now());
        assertThat(nasCopyMessagesTo(List.of(it, manager))).hasSize(4);

        Instant later = t0.plus(Duration.ofHours(31));
        evidence.reportNasCopy(practice, later, later.minus(Duration.ofHours(1)));
        evidence.evaluateAllDue(later);
        awaitAlert(practice, "nas-copy", "RESOLVED");
        sendAllDue(Instant.now());
        List<MimeMessage> all = nasCopyMessagesTo(List.of(it, manager));
        assertThat(all).hasSize(6).filteredOn(message -> subject(message).startsWith("[Rampart] Recovered: Daily copy on the NAS"))
                .hasSize(2).allSatisfy(message -> assertThat(GreenMailUtil.getBody(message)).contains("is working again"));

        // the FAIL, never applied before (dead-lettered, then replayed after the fix), arrives after the recovery:
        // it neither reopens the alert nor emails anyone, because the rule changed again since
        List<ComplianceChanged> lateFailure = replay.stream()
                .filter(change -> change.getRuleId().equals("nas-copy") && change.getStatus().name().endsWith("FAIL"))
                .map(change -> change.toBuilder().setEventId(UUID.randomUUID().toString()).build()).toList();
        assertThat(lateFailure).isNotEmpty();
        QuarkusTransaction.requiringNew().run(() -> alerting.apply(lateFailure));
        sendAllDue(Instant.now());
        List<Map<String, Object>> nasCopyAlerts = given().auth().oauth2(Tokens.of("alice")).queryParam("status", "all").get("/api/alerts")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>> getList("").stream()
                .filter(a -> practice.id.toString().equals(a.get("practiceId")) && "nas-copy".equals(a.get("ruleId"))).toList();
        assertThat(nasCopyAlerts).extracting(a -> a.get("status")).containsExactly("RESOLVED");
        assertThat(nasCopyMessagesTo(List.of(it, manager))).hasSize(6);
    }

    @Test
    void aMailServerThatIsDownDelaysTheEmailWithTheErrorAndDeliversItOnceWhenBack() throws Exception {
        Practice practice = fleet.newPractice("Outage Lane Practice " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        addContact(practice, "Northwind service desk", it, "IT_CONTACT");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));
        awaitAlert(practice, "nas-copy", "OPEN");

        RealServers.mail().stop();
        try {
            sendAllDue(Instant.now());
        } finally {
            RealServers.startMail();
        }
        Notification pending = nasCopyNotificationTo(it);
        assertThat(pending.status).isEqualTo(Notification.Status.PENDING);
        assertThat(pending.attempts).isEqualTo(1);
        assertThat(pending.lastError).isNotBlank();
        assertThat(nasCopyMessagesTo(List.of(it))).isEmpty();

        sendAllDue(Instant.now());                              // not due yet: the retry waits a minute
        assertThat(nasCopyMessagesTo(List.of(it))).isEmpty();
        sendAllDue(Instant.now().plus(Duration.ofMinutes(2)));
        sendAllDue(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(nasCopyMessagesTo(List.of(it))).hasSize(1);
        Notification sent = nasCopyNotificationTo(it);
        assertThat(sent.status).isEqualTo(Notification.Status.SENT);
        assertThat(sent.attempts).isEqualTo(2);
    }

    @Test
    void theProvidersWebhookGetsTheAlertAsJsonSignedWithItsSecret() throws Exception {
        List<Map.Entry<String, String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/rampart", exchange -> {
            calls.add(Map.entry(exchange.getRequestHeaders().getFirst("X-Rampart-Signature"),
                    new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String webhookId = null;
        try {
            Map<String, Object> webhook = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                    .body(Map.of("url", "http://localhost:" + receiver.getAddress().getPort() + "/hooks/rampart"))
                    .post("/api/webhooks").then().statusCode(201).extract().as(Map.class);
            webhookId = (String) webhook.get("id");
            String secret = (String) webhook.get("secret");
            assertThat(secret).startsWith("rpw_");

            Practice practice = fleet.newPractice("Hook Lane Surgery " + UUID.randomUUID());
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
            evidence.evaluateAllDue(t0);
            evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(30)));
            evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));
            awaitAlert(practice, "nas-copy", "OPEN");
            sendAllDue(Instant.now());

            List<Map.Entry<String, String>> ours = calls.stream()
                    .filter(call -> call.getValue().contains(practice.id.toString()) && call.getValue().contains("\"ruleId\":\"nas-copy\"")).toList();
            assertThat(ours).singleElement().satisfies(call -> {
                assertThat(call.getKey()).isEqualTo(WebhookCalls.signature(secret, call.getValue()));
                assertThat(call.getKey()).isNotEqualTo(WebhookCalls.signature("rpw_someone-else", call.getValue()));
                assertThat(call.getValue()).contains("\"event\":\"alert.opened\"", "\"title\":\"Daily copy on the NAS\"");
            });
        } finally {
            if (webhookId != null) {
                given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", webhookId).then().statusCode(204);
            }
            receiver.stop(0);
        }
    }

    @Test
    void aContactWithoutAnAddressOrRoleIsRefusedFieldByFieldAndNothingIsAdded() {
        Practice practice = fleet.newPractice("Bad Contact Road " + UUID.randomUUID());
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("name", "Someone", "email", "not an address"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("email", "role"));
        given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{id}/contacts", practice.id).then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    private void sendAllDue(Instant now) {
        AlertTesting.sendAllDue(delivery, now);
    }

    private static Notification nasCopyNotificationTo(String recipient) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> find(
                "recipient = ?1 and alertId in (select a.id from Alert a where a.ruleId = 'nas-copy')", recipient).singleResult());
    }

    private static List<MimeMessage> nasCopyMessagesTo(List<String> recipients) {
        return messagesTo(recipients).stream().filter(message -> subject(message).contains("Daily copy on the NAS")).toList();
    }
}
