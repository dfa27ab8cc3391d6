package io.rampart.controlplane.alerts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.Tokens;

/** What the alert tests share: contacts added through the API, alerts awaited, and the real SMTP server's mailbox read. */
final class AlertTesting {

    private AlertTesting() {
    }

    static void sendAllDue(NotificationDelivery delivery, Instant now) {
        while (delivery.sendNext(now)) {
            // until nothing is due
        }
    }

    static void addContact(Practice practice, String name, String email, String role) {
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("name", name, "email", email, "role", role))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> awaitAlert(Practice practice, String ruleId, String status) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            List<Map<String, Object>> alerts = given().auth().oauth2(Tokens.of("alice")).queryParam("status", "all").get("/api/alerts")
                    .then().statusCode(200).extract().jsonPath().getList("");
            alerts.stream().filter(a -> practice.id.toString().equals(a.get("practiceId")) && ruleId.equals(a.get("ruleId"))
                    && status.equals(a.get("status"))).forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    static List<MimeMessage> messagesTo(List<String> recipients) {
        return Arrays.stream(RealServers.mail().getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> recipients.contains(a.toString()));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            return "";
        }
    }
}
