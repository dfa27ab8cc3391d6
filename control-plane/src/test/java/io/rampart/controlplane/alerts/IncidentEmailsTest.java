package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.AlertTesting.messagesTo;
import static io.rampart.controlplane.alerts.AlertTesting.subject;
import static io.rampart.controlplane.alerts.NasEvidence.NAS_DOWN;
import static io.rampart.controlplane.alerts.NasEvidence.freshNasCopy;
import static io.rampart.controlplane.alerts.NasEvidence.restorePassed;
import static io.rampart.controlplane.alerts.NasEvidence.unreachable;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * The right emails, not the most: failures of one practice that arrive within the group's window are one email per
 * person, and so are their recoveries; a failure that recovers inside the window is never emailed; a critical rule
 * waits for the window but never for quiet hours (an agent gone silent: SilentAgentEmailsTest). Real PostgreSQL, Kafka
 * and SMTP (GreenMail); the control plane's clock is moved.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(NasIncidentScene.SetClock.class)
class IncidentEmailsTest extends NasIncidentScene {

    @Test
    void aNasThatDiesTakesThreeRulesWithItAndEachContactGetsOneEmailNamingThemThenOneForTheirRecovery() {
        Practice practice = practiceWatchingTheNas("Harbour Row Surgery " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant t = healthyAt(practice);

        Instant died = at(t.plus(Duration.ofMinutes(1)));
        evidence.reportChecks(practice, died, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                unreachable("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST)));
        evidence.evaluateAllDue(died);
        awaitAlert(practice, "nas-copy", "OPEN");
        awaitAlert(practice, "restore-test", "OPEN");
        Instant archiveFails = at(died.plus(Duration.ofMinutes(2)));  // the archive check runs two minutes later
        evidence.reportChecks(practice, archiveFails, List.of(unreachable("archive-retention", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.evaluateAllDue(archiveFails);
        awaitAlert(practice, "archive-retention", "OPEN");

        sendAllDue(died.plus(Duration.ofMinutes(4)));
        assertThat(messagesTo(contacts)).as("held for the group window").isEmpty();
        sendAllDue(died.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(contacts)).hasSize(2).allSatisfy(message -> {
            assertThat(subject(message)).isEqualTo("[Rampart] " + practice.name + ": 3 backup checks failing");
            assertThat(GreenMailUtil.getBody(message)).contains(
                    "3 backup checks at " + practice.name + " failed together. They may share one cause",
                    "1. Daily copy on the NAS (rule nas-copy)", "2. Restore test (rule restore-test)",
                    "3. Three-year archive (rule archive-retention)",
                    "What we see:     the NAS copy check could not run: " + NAS_DOWN,
                    "What to do first: Check the backup job on the practice server and that the NAS is switched on and reachable.",
                    "What to do first: Run a restore test now", "Nothing else is failing at " + practice.name + ".",
                    "/practices/" + practice.id, "We will email again when they recover.");
        });
        assertThat(messagesTo(List.of(contacts.get(0)))).hasSize(1);
        assertThat(notificationsOf(practice)).extracting(n -> n.status).containsOnly(Notification.Status.SENT);

        // the NAS is back: its copy and the restore test pass, the archive check has not run again yet
        Instant back = at(died.plus(Duration.ofMinutes(30)));
        evidence.reportChecks(practice, back, List.of(freshNasCopy(back.minus(Duration.ofMinutes(10))), restorePassed()));
        evidence.evaluateAllDue(back);
        awaitAlert(practice, "nas-copy", "RESOLVED");
        awaitAlert(practice, "restore-test", "RESOLVED");
        sendAllDue(back.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(1)))).hasSize(2).filteredOn(m -> subject(m).contains("working again")).singleElement()
                .satisfies(message -> {
                    assertThat(subject(message)).isEqualTo("[Rampart] " + practice.name + ": 2 backup checks working again");
                    assertThat(GreenMailUtil.getBody(message)).contains("2 backup checks at " + practice.name + " are working again.",
                            "1. Daily copy on the NAS (rule nas-copy)", "2. Restore test (rule restore-test)", "Recovered:",
                            "Still failing at " + practice.name + ":", "  - Three-year archive (rule archive-retention), since ");
                });
    }

    @Test
    void aFailureThatRecoversInsideTheWindowIsNeverEmailedNorIsItsRecovery() {
        Practice practice = practiceWatchingTheNas("Blip Lane Practice " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant t = healthyAt(practice);

        Instant blip = at(t.plus(Duration.ofMinutes(1)));
        evidence.reportChecks(practice, blip, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.evaluateAllDue(blip);
        awaitAlert(practice, "nas-copy", "OPEN");
        Instant fine = at(blip.plus(Duration.ofMinutes(2)));
        evidence.reportChecks(practice, fine, List.of(freshNasCopy(fine.minus(Duration.ofHours(1)))));
        evidence.evaluateAllDue(fine);
        awaitAlert(practice, "nas-copy", "RESOLVED");

        sendAllDue(blip.plus(Duration.ofMinutes(20)));
        assertThat(messagesTo(contacts)).isEmpty();
        assertThat(notificationsOf(practice)).filteredOn(n -> n.channel == Notification.Channel.EMAIL).hasSize(4).allSatisfy(n -> {
            assertThat(n.status).isEqualTo(Notification.Status.SKIPPED);
            assertThat(n.lastError).startsWith(n.kind == Notification.Kind.FAILURE ? "Not sent: it recovered at "
                    : "Not sent: its failure email was never sent");
        });
    }

    @Test
    void aCriticalRuleWaitsOnlyForTheWindowWhileQuietHoursHoldTheOthersUntilTheyEnd() {
        Instant t = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Map<String, Object> settings = new HashMap<>();
        settings.put("groupWindow", "PT5M");
        settings.put("timeZone", "UTC");
        settings.put("criticalRules", List.of("nas-copy"));
        settings.put("quietHours", Map.of("from", HH_MM.format(t.minus(Duration.ofHours(1))), "to", HH_MM.format(t.plus(Duration.ofHours(1)))));
        Practice practice = practiceWatchingTheNas("Night Row Clinic " + UUID.randomUUID(), settings);
        List<String> contacts = contactsOf(practice);
        healthyAt(practice);

        Instant died = at(t.plus(Duration.ofMinutes(1)));
        evidence.reportChecks(practice, died, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                unreachable("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST)));
        evidence.evaluateAllDue(died);
        awaitAlert(practice, "restore-test", "OPEN");

        sendAllDue(died.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(contacts)).hasSize(2).extracting(AlertTesting::subject)
                .containsOnly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
        Instant quietEnds = LocalTime.parse(HH_MM.format(t.plus(Duration.ofHours(1)))).atDate(t.atZone(ZoneOffset.UTC).toLocalDate())
                .toInstant(ZoneOffset.UTC);
        Instant end = quietEnds.isBefore(t) ? quietEnds.plus(Duration.ofDays(1)) : quietEnds;
        assertThat(notificationsOf(practice)).filteredOn(n -> n.channel == Notification.Channel.EMAIL && n.status == Notification.Status.PENDING)
                .hasSize(2).allSatisfy(n -> assertThat(n.nextAttemptAt).isEqualTo(end));
        sendAllDue(end);
        assertThat(messagesTo(contacts)).hasSize(4).extracting(AlertTesting::subject)
                .containsOnly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name, "[Rampart] FAILED: Restore test at " + practice.name);
    }

    @Test
    void twoPracticesFailingTogetherAreTwoEmailsEachAboutItsOwnPractice() {
        Practice harbour = practiceWatchingTheNas("Harbour Street " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        Practice quay = fleet.newPracticeIn(harbour.groupId, "Quay Road " + UUID.randomUUID());
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        for (Practice practice : List.of(harbour, quay)) {
            addContact(practice, "Northwind service desk", it, "IT_CONTACT");
            addContact(practice, "Manager", "manager-" + UUID.randomUUID() + "@practice.example", "PRACTICE_MANAGER");
        }
        Instant t = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        for (Practice practice : List.of(harbour, quay)) {
            evidence.reportChecks(practice, t, List.of(freshNasCopy(t.minus(Duration.ofHours(2)))));
        }
        evidence.evaluateAllDue(t);
        Instant died = at(t.plus(Duration.ofMinutes(1)));
        for (Practice practice : List.of(harbour, quay)) {
            evidence.reportChecks(practice, died, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                    unreachable("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST)));
        }
        evidence.evaluateAllDue(died);
        awaitAlert(harbour, "restore-test", "OPEN");
        awaitAlert(quay, "restore-test", "OPEN");

        sendAllDue(died.plus(Duration.ofMinutes(6)));
        List<MimeMessage> messages = messagesTo(List.of(it));
        assertThat(messages).extracting(AlertTesting::subject).containsExactlyInAnyOrder(
                "[Rampart] " + harbour.name + ": 2 backup checks failing", "[Rampart] " + quay.name + ": 2 backup checks failing");
        assertThat(messages).allSatisfy(message -> {
            String other = subject(message).contains(harbour.name) ? quay.name : harbour.name;
            assertThat(GreenMailUtil.getBody(message)).doesNotContain(other);
        });
    }

    @Test
    void aGroupedEmailThatTheMailServerRefusesIsRetriedWholeAndSentOnce() {
        Practice practice = practiceWatchingTheNas("Retry Row Surgery " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant t = healthyAt(practice);
        Instant died = at(t.plus(Duration.ofMinutes(1)));
        evidence.reportChecks(practice, died, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER),
                unreachable("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST)));
        evidence.evaluateAllDue(died);
        awaitAlert(practice, "restore-test", "OPEN");

        RealServers.mail().stop();
        try {
            sendAllDue(died.plus(Duration.ofMinutes(6)));
        } finally {
            RealServers.startMail();
        }
        assertThat(notificationsOf(practice)).filteredOn(n -> n.channel == Notification.Channel.EMAIL).hasSize(4).allSatisfy(n -> {
            assertThat(n.status).isEqualTo(Notification.Status.PENDING);
            assertThat(n.attempts).isEqualTo(1);
            assertThat(n.lastError).isNotBlank();
        });
        sendAllDue(died.plus(Duration.ofMinutes(9)));
        assertThat(messagesTo(contacts)).hasSize(2).extracting(AlertTesting::subject)
                .containsOnly("[Rampart] " + practice.name + ": 2 backup checks failing");
        assertThat(notificationsOf(practice)).filteredOn(n -> n.channel == Notification.Channel.EMAIL).allSatisfy(n -> {
            assertThat(n.status).isEqualTo(Notification.Status.SENT);
            assertThat(n.attempts).isEqualTo(2);
        });
    }

    @Test
    void aWindowOutOfRangeIsRefusedUnderItsFieldAndAChangeIsAudited() {
        Practice practice = fleet.newPractice("Window Road Surgery " + UUID.randomUUID());
        String defaultWindow = given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/notification-settings", practice.groupId)
                .then().statusCode(200).extract().path("groupWindow");
        assertThat(defaultWindow).as("the installation's default (the test profile's: PT0S)").isEqualTo("PT0S");
        for (String refused : List.of("PT1H", "PT-5M", "5 minutes")) {
            putGroupSettings(practice, Map.of("groupWindow", refused)).then().statusCode(400)
                    .body("detail", equalTo("The notification settings are invalid; nothing was changed"))
                    .body("errors.field", containsInAnyOrder("groupWindow"))
                    .body("errors[0].message", equalTo("a duration from PT0S (each alert its own email) to PT15M, e.g. PT5M; " + refused + " is not"));
        }
        given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/notification-settings", practice.groupId).then().statusCode(200)
                .body("groupWindow", equalTo("PT0S")).body("updatedBy", org.hamcrest.Matchers.nullValue());

        putGroupSettings(practice, Map.of("groupWindow", "PT10M")).then().statusCode(200).body("groupWindow", equalTo("PT10M"));
        List<AuditEntry> audit = QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list(
                "action = ?1 and targetId = ?2", "notification-settings.changed", practice.groupId.toString()));
        assertThat(audit).singleElement().satisfies(entry -> {
            assertThat(entry.actorUsername).isEqualTo("alice");
            assertThat(entry.before).contains("\"groupWindow\"", "PT0S");
            assertThat(entry.after).contains("PT10M");
        });
    }
}
