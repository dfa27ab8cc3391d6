package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.contacts.Contact;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * One tenant's configuration or destinations never stop or delay anyone else's alerts: what is
 * configured twice is sent once, a slow webhook holds one worker while another provider's email and
 * webhook go out, a dead one is given up after the bounded attempts and shown as failed, and each
 * role sees a delivery's destination only as far as it may. Real GreenMail, real HTTP receivers.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class DeliveryIsolationTest {

    @Inject
    TestFleet fleet;
    @Inject
    Alerting alerting;
    @Inject
    NotificationDelivery delivery;

    @Test
    void whatATenantConfiguredTwiceIsSentOnceAndNeverStopsAlerting() throws IOException {
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = receiver(calls, null);
        Practice practice = fleet.newPractice("Twice Road Surgery " + UUID.randomUUID());
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/twice-" + UUID.randomUUID();
        String email = "twice-" + UUID.randomUUID() + "@northwind.example";
        List<UUID> webhooks = List.of(UUID.randomUUID(), UUID.randomUUID());
        try {
            // saved before duplicates were refused: straight into the tables
            QuarkusTransaction.requiringNew().run(() -> {
                for (UUID id : webhooks) {
                    Webhook webhook = new Webhook();
                    webhook.id = id;
                    webhook.providerId = practice.providerId;
                    webhook.url = url;
                    webhook.secret = "rpw_twice";
                    webhook.createdBy = "test";
                    webhook.createdAt = Instant.now();
                    webhook.persist();
                }
                contact(practice, "Northwind desk", email, Contact.Role.IT_CONTACT);
                contact(practice, "Dr Twice", email.toUpperCase(), Contact.Role.PRACTICE_MANAGER);
            });

            assertThatCode(() -> fail(practice, "nas-copy")).doesNotThrowAnyException();
            AlertTesting.sendAllDue(delivery, Instant.now());

            assertThat(calls).filteredOn(body -> body.contains(practice.id.toString())).hasSize(1);
            assertThat(messagesTo(List.of(email))).filteredOn(m -> AlertTesting.subject(m).contains(practice.name)).hasSize(1);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> Webhook.delete("id in ?1", webhooks));
            receiver.stop(0);
        }
    }

    @Test
    void aSecondWebhookOrContactWithTheSameAddressIsRefusedUnderItsField() {
        String url = "http://localhost:9/same-" + UUID.randomUUID();
        String id = given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("url", url)).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
        try {
            given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("url", url)).post("/api/webhooks").then()
                    .statusCode(400).body("detail", equalTo("The webhook is invalid; nothing was added")).body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", equalTo("your provider already has a webhook to this address; each alert is sent to it once"));
            List<Object> secrets = given().auth().oauth2(Tokens.of("alice")).get("/api/webhooks").then().statusCode(200).extract()
                    .jsonPath().getList("secret");
            assertThat(secrets).as("a signing secret is shown once, when the webhook is added").containsOnlyNulls();
            for (String unusual : List.of("http://2130706433/", "http://0x7f.1/", "http://127.1/", "http://a@127.0.0.1/")) {
                given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("url", unusual)).post("/api/webhooks")
                        .then().statusCode(400).body("errors[0].field", equalTo("url"));
            }
        } finally {
            given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", id).then().statusCode(204);
        }

        Practice practice = fleet.newPractice("Same Address Lane " + UUID.randomUUID());
        String email = "same-" + UUID.randomUUID() + "@northwind.example";
        AlertTesting.addContact(practice, "Northwind desk", email, "IT_CONTACT");
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Northwind again", "email", email.toUpperCase(), "role", "PRACTICE_MANAGER"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(400).body("errors[0].field", equalTo("email"))
                .body("errors[0].message", equalTo("already a contact here (Northwind desk, IT_CONTACT); each address is emailed once, so add it once"));
    }

    @Test
    void aSlowWebhookHoldsOneWorkerWhileAnotherProvidersEmailAndWebhookAreDelivered() throws IOException {
        fleet.seedDemoTenancy();
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger mostOpen = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/", exchange -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                answer.await(60, TimeUnit.SECONDS); // accepts, and does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.decrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.start();
        List<String> fastCalls = new CopyOnWriteArrayList<>();
        HttpServer fast = receiver(fastCalls, null);
        Practice slowTenant = fleet.newPractice("Slow Hook Surgery " + UUID.randomUUID());
        Practice otherTenant = fleet.newPracticeIn(DemoTenancy.SOUTHERN_GROUP, "Bayside Annexe " + UUID.randomUUID());
        String slowEmail = "slow-" + UUID.randomUUID() + "@northwind.example";
        String otherEmail = "other-" + UUID.randomUUID() + "@southern.example";
        String slowHook = webhook("alice", "http://127.0.0.1:" + slow.getAddress().getPort() + "/slow-" + UUID.randomUUID());
        String fastHook = webhook("olivia", "http://127.0.0.1:" + fast.getAddress().getPort() + "/fast-" + UUID.randomUUID());
        try {
            AlertTesting.addContact(slowTenant, "Northwind desk", slowEmail, "IT_CONTACT");
            given().auth().oauth2(Tokens.of("olivia")).contentType(ContentType.JSON)
                    .body(Map.of("name", "Southern desk", "email", otherEmail, "role", "IT_CONTACT"))
                    .post("/api/practices/{id}/contacts", otherTenant.id).then().statusCode(201);
            // the slow tenant's deliveries are older: claimed first
            fail(slowTenant, "nas-copy");
            fail(slowTenant, "db-sync");
            fail(slowTenant, "cloud-copy");
            fail(otherTenant, "nas-copy");

            delivery.dispatchDue(Instant.now());

            // the test profile's read timeout is 10 s: all of this happens while the first slow call waits
            await().atMost(Duration.ofSeconds(6)).until(() -> !messagesTo(List.of(otherEmail)).isEmpty()
                    && fastCalls.stream().anyMatch(body -> body.contains(otherTenant.id.toString()))
                    && messagesTo(List.of(slowEmail)).size() == 3);
            assertThat(open.get()).as("the slow webhook's call is still waiting for its answer").isEqualTo(1);
            assertThat(mostOpen.get()).as("its two other calls wait their turn: one destination, one call at a time").isEqualTo(1);
        } finally {
            answer.countDown();
            given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", slowHook).then().statusCode(204);
            given().auth().oauth2(Tokens.of("olivia")).delete("/api/webhooks/{id}", fastHook).then().statusCode(204);
            await().atMost(Duration.ofSeconds(30)).until(() -> open.get() == 0);
            slow.stop(0);
            fast.stop(0);
        }
    }

    @Test
    void aDeadWebhookIsTriedTheBoundedNumberOfTimesThenShownAsFailed() throws IOException {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = free.getLocalPort();
        }
        Practice practice = fleet.newPractice("Dead Hook Practice " + UUID.randomUUID());
        String url = "http://127.0.0.1:" + closedPort + "/dead-" + UUID.randomUUID();
        String hook = webhook("alice", url);
        try {
            fail(practice, "nas-copy");
            Instant now = Instant.now();
            for (int attempt = 1; attempt <= 12; attempt++) {
                AlertTesting.sendAllDue(delivery, now.plus(Duration.ofDays(attempt)));
            }
            AlertTesting.sendAllDue(delivery, now.plus(Duration.ofDays(30)));
            Map<String, Object> call = webhookDelivery(AlertTesting.awaitAlert(practice, "nas-copy", "OPEN"), url);
            assertThat(call).containsEntry("status", "GIVEN_UP").containsEntry("attempts", 12).containsEntry("lastError", "connection refused")
                    .containsEntry("recipient", url).containsEntry("nextAttemptAt", null);
        } finally {
            given().auth().oauth2(Tokens.of("alice")).delete("/api/webhooks/{id}", hook).then().statusCode(204);
        }
    }

    @Test
    void webhookAddressesAndTheOnCallAddressAreShownOnlyToThoseWhoMaySeeThem() {
        fleet.seedDemoTenancy();
        String url = "https://hooks.slack.com/services/T000/B000/" + UUID.randomUUID();
        String onCall = "on-call-" + UUID.randomUUID() + "@northwind.example";
        UUID alertId = QuarkusTransaction.requiringNew().call(() -> {
            Alert alert = new Alert();
            alert.id = UUID.randomUUID();
            alert.providerId = DemoTenancy.NORTHWIND;
            alert.groupId = DemoTenancy.COASTAL;
            alert.practiceId = DemoTenancy.HARBOUR_STREET;
            alert.ruleId = "masking-" + alert.id;
            alert.status = Alert.Status.RESOLVED;
            alert.reason = "masking";
            alert.openedAt = Instant.now();
            alert.resolvedAt = Instant.now();
            alert.persist();
            delivered(alert, Notification.Channel.WEBHOOK, Notification.Kind.FAILURE, url);
            delivered(alert, Notification.Channel.EMAIL, Notification.Kind.ESCALATION, onCall);
            return alert.id;
        });
        Map<String, List<String>> seen = Map.of("alice", List.of(url, onCall), "tom", List.of("https://hooks.slack.com/\u2026", onCall),
                "grace", List.of("https://hooks.slack.com/\u2026", "the IT provider's on-call address"),
                "pat", List.of("https://hooks.slack.com/\u2026", "the IT provider's on-call address"));
        seen.forEach((who, recipients) -> {
            String body = given().auth().oauth2(Tokens.of(who)).queryParam("status", "all").get("/api/alerts").then().statusCode(200)
                    .extract().asString();
            List<String> shown = given().auth().oauth2(Tokens.of(who)).queryParam("status", "all").get("/api/alerts").then().extract()
                    .jsonPath().getList("find { it.id == '" + alertId + "' }.notifications.recipient");
            assertThat(shown).as(who).containsExactlyElementsOf(recipients);
            if (!who.equals("alice")) {
                assertThat(body).as(who).doesNotContain(url);
            }
            if (who.equals("grace") || who.equals("pat")) {
                assertThat(body).as(who).doesNotContain(onCall);
            }
        });
        assertThat(given().auth().oauth2(Tokens.of("olivia")).queryParam("status", "all").get("/api/alerts").then().extract().asString())
                .doesNotContain(alertId.toString());
    }

    private static void delivered(Alert alert, Notification.Channel channel, Notification.Kind kind, String recipient) {
        Notification notification = new Notification();
        notification.id = UUID.randomUUID();
        notification.alertId = alert.id;
        notification.channel = channel;
        notification.providerId = alert.providerId;
        notification.groupId = alert.groupId;
        notification.practiceId = alert.practiceId;
        notification.kind = kind;
        notification.recipient = recipient;
        notification.destination = Notification.destinationOf(channel, recipient);
        notification.subject = "masking";
        notification.body = "masking";
        notification.status = Notification.Status.SENT;
        notification.attempts = 1;
        notification.nextAttemptAt = Instant.now();
        notification.createdAt = Instant.now().plusMillis(channel == Notification.Channel.WEBHOOK ? 0 : 1);
        notification.sentAt = Instant.now();
        notification.persist();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> webhookDelivery(Map<String, Object> alert, String url) {
        return ((List<Map<String, Object>>) alert.get("notifications")).stream().filter(n -> url.equals(n.get("recipient"))).findFirst()
                .orElseThrow();
    }

    private void fail(Practice practice, String ruleId) {
        ComplianceChanged change = ComplianceChanged.newBuilder().setEventId(UUID.randomUUID().toString())
                .setProviderId(practice.providerId.toString()).setGroupId(practice.groupId.toString()).setPracticeId(practice.id.toString())
                .setRuleId(ruleId).setStatus(ComplianceStatus.COMPLIANCE_STATUS_FAIL).setReason("no copy for 32 h")
                .setChangedAt(ProtoTime.timestamp(Instant.now())).build();
        QuarkusTransaction.requiringNew().run(() -> alerting.apply(List.of(change)));
    }

    private static void contact(Practice practice, String name, String email, Contact.Role role) {
        Contact contact = new Contact();
        contact.id = UUID.randomUUID();
        contact.providerId = practice.providerId;
        contact.groupId = practice.groupId;
        contact.practiceId = practice.id;
        contact.name = name;
        contact.email = email;
        contact.role = role;
        contact.createdBy = "test";
        contact.createdAt = Instant.now();
        contact.persist();
    }

    private static String webhook(String who, String url) {
        return given().auth().oauth2(Tokens.of(who)).contentType(ContentType.JSON).body(Map.of("url", url)).post("/api/webhooks").then()
                .statusCode(201).extract().path("id");
    }

    /** A receiver on this computer that answers 204 and keeps each body; {@code onCall} runs as each call arrives. */
    private static HttpServer receiver(List<String> bodies, Runnable onCall) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (onCall != null) {
                onCall.run();
            }
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
