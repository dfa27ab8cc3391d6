package io.rampart.controlplane.pings;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;

import io.rampart.controlplane.alerts.NotificationDelivery;
import io.rampart.controlplane.fleet.CheckState;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/** What the ping tests share: a practice with a reported-job check and its ping URL, the check's projected state, alerts, mail. */
final class PingTesting {

    /** The reported-job check the tests ping: a borgmatic/cron job copying to the cloud, judged by the cloud-copy rule. */
    static final String CHECK = "cloud-copy";

    private PingTesting() {
    }

    /** A new practice whose group runs {@link #CHECK} as a reported job expected to finish within {@code maxRunTime}. */
    static Practice practiceWithPingedJob(TestFleet fleet, String name, Duration maxRunTime) {
        Practice practice = fleet.newPractice(name + " " + UUID.randomUUID());
        fleet.addCheck(practice.groupId, CHECK, "REPORTED_JOB",
                "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"maxRunTime\": \"" + maxRunTime.toSeconds() + "s\"}");
        return practice;
    }

    /** Creates (or rotates) the check's ping URL as alice, the provider admin; returns the URL. */
    static String pingUrl(Practice practice) {
        return given().auth().oauth2(Tokens.of("alice")).post("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK)
                .then().statusCode(200).extract().path("pingUrl");
    }

    /** The path part, /ping/<id>, of a ping URL (tests call the test server, not the public address). */
    static String path(String pingUrl) {
        return pingUrl.substring(pingUrl.indexOf("/ping/"));
    }

    static PingUrl stored(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> PingUrl.<PingUrl> find("practiceId = ?1 and revokedAt is null", practice.id)
                .firstResult());
    }

    /** How many pings of the practice's URLs (live or not) ping_log holds. */
    static long logged(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) PingUrl.getEntityManager().createNativeQuery(
                "select count(*) from ping_log l join ping_url u on u.id = l.ping_url_id where u.practice_id = ?1")
                .setParameter(1, practice.id).getSingleResult()).longValue());
    }

    /** The newest ping's stored body, method and user agent. */
    static Object[] lastLogged(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) PingUrl.getEntityManager().createNativeQuery(
                "select l.body, l.method, l.user_agent, l.action, l.exit_status from ping_log l join ping_url u on u.id = l.ping_url_id "
                        + "where u.practice_id = ?1 order by l.id desc limit 1")
                .setParameter(1, practice.id).getSingleResult());
    }

    /** Waits until the check's projected state has this summary start (the ping's event went through Kafka). */
    static CheckState awaitState(Practice practice, String summaryContains) {
        List<CheckState> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            CheckState state = QuarkusTransaction.requiringNew().call(() -> CheckState.<CheckState> find(
                    "practiceId = ?1 and checkId = ?2", practice.id, CHECK).firstResult());
            found.clear();
            if (state != null && state.summary.contains(summaryContains)) {
                found.add(state);
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    static void addContact(Practice practice, String email) {
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Northwind service desk", "email", email, "role", "IT_CONTACT"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> awaitAlert(Practice practice, String status, String reasonContains) {
        List<Map<String, Object>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            found.clear();
            List<Map<String, Object>> alerts = given().auth().oauth2(Tokens.of("alice")).queryParam("status", "all").get("/api/alerts")
                    .then().statusCode(200).extract().jsonPath().getList("");
            alerts.stream().filter(a -> practice.id.toString().equals(a.get("practiceId")) && CHECK.equals(a.get("ruleId"))
                    && status.equals(a.get("status")) && String.valueOf(a.get("reason")).contains(reasonContains)).forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    static void sendAllDue(NotificationDelivery delivery) {
        while (delivery.sendNext(Instant.now())) {
            // until nothing is due
        }
    }

    static List<MimeMessage> messagesTo(String recipient) {
        return Arrays.stream(RealServers.mail().getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(recipient));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }
}
