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
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
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
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.MovableClock;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * The right emails, not the most: failures of one practice that arrive within the group's window are one email per
 * person, and so are their recoveries; a failure that recovers inside the window is never emailed; a critical rule
 * waits for the window but never for quiet hours; an agent gone silent is one "not reporting" email that names what
 * is unknown, not one per rule. Real PostgreSQL, Kafka and SMTP (GreenMail); the control plane's clock is moved.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(IncidentEmailsTest.SetClock.class)
class IncidentEmailsTest {

    public static class SetClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

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
    void anAgentGoneSilentIsOneEmailNamingWhatIsUnknownAndRulesThatPassOnItsReturnAreNeverEmailed() {
        Practice practice = practiceWatchingTheNas("Silent Street Surgery " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant t0 = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t0, List.of(freshNasCopy(t0.minus(Duration.ofHours(2))), restorePassed()));
        evidence.evaluateAllDue(t0);

        // the practice server is switched off: 30 h later the agent-heartbeat fails, and so does nas-copy on its last, aged evidence
        Instant silent = at(t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(silent);
        awaitAlert(practice, "agent-heartbeat", "OPEN");
        awaitAlert(practice, "nas-copy", "OPEN");
        sendAllDue(silent.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(contacts)).hasSize(2).allSatisfy(message -> {
            assertThat(subject(message)).isEqualTo("[Rampart] NOT REPORTING: " + practice.name + ", 3 backup checks unknown");
            assertThat(GreenMailUtil.getBody(message)).contains("Rampart is not hearing from the agent at " + practice.name,
                    "What we see:     the agent last called in 30 h ago (limit 10 min)",
                    "Unknown until the agent reports again (no separate email about each while it is silent):",
                    // it failed only because its evidence aged while the agent was silent: that says nothing of the NAS
                    "  - Daily copy on the NAS (rule nas-copy): unknown (its last evidence is now too old): last NAS copy 32 h ago",
                    "  - Restore test (rule restore-test): last known passing since ",
                    "  - Three-year archive (rule archive-retention): no evidence yet",
                    "What to do first: Check that the practice server is on and the rampart-agent service is running.");
        });
        Alert nasCopy = alertOf(practice, "nas-copy");
        assertThat(nasCopy.silenced).isTrue();
        assertThat(notificationsOf(practice)).noneMatch(n -> nasCopy.id.equals(n.alertId));
        assertThat(GreenMailUtil.getBody(messagesTo(contacts).get(0))).doesNotContain("last known failing");

        // a day on, nobody acknowledged anything: the silence is reminded of, the rule it hides is not
        reminders.remindDue(silent.plus(Duration.ofHours(25)));
        sendAllDue(silent.plus(Duration.ofHours(25)));
        assertThat(messagesTo(List.of(contacts.get(0)))).extracting(AlertTesting::subject).hasSize(2)
                .anySatisfy(s -> assertThat(s).startsWith("[Rampart] Still failing (reminder 1): Rampart agent at"))
                .noneSatisfy(s -> assertThat(s).contains("Daily copy on the NAS"));

        // the server is on again and its NAS copy is fresh: the agent's recovery is the only other email
        Instant back = at(silent.plus(Duration.ofHours(26)));
        evidence.reportChecks(practice, back, List.of(freshNasCopy(back.minus(Duration.ofHours(1)))));
        evidence.evaluateAllDue(back);
        awaitAlert(practice, "agent-heartbeat", "RESOLVED");
        awaitAlert(practice, "nas-copy", "RESOLVED");
        sendAllDue(back.plus(Duration.ofMinutes(20)));
        assertThat(messagesTo(List.of(contacts.get(1)))).extracting(AlertTesting::subject).hasSize(3)
                .contains("[Rampart] Recovered: Rampart agent at " + practice.name).noneMatch(s -> s.contains("Daily copy on the NAS"));
    }

    @Test
    void aRuleThatFailedOnTheAgentsOwnEvidenceBeforeItWentSilentIsLastKnownFailing() {
        Practice practice = practiceWatchingTheNas("Last Word Lane Surgery " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant t = healthyAt(practice);
        // the agent itself reports the NAS gone, then the server goes off 20 minutes later
        Instant died = at(t.plus(Duration.ofMinutes(1)));
        evidence.reportChecks(practice, died, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.evaluateAllDue(died);
        awaitAlert(practice, "nas-copy", "OPEN");
        sendAllDue(died.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(1)))).extracting(AlertTesting::subject)
                .containsExactly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
        Instant silent = at(died.plus(Duration.ofMinutes(20)));
        evidence.evaluateAllDue(silent);
        awaitAlert(practice, "agent-heartbeat", "OPEN");
        sendAllDue(silent.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(1)))).filteredOn(m -> subject(m).startsWith("[Rampart] NOT REPORTING: "))
                .singleElement().satisfies(message -> assertThat(GreenMailUtil.getBody(message)).contains(
                        "  - Daily copy on the NAS (rule nas-copy): last known failing since " + AlertEmails.WHEN.format(died)
                                + " (the NAS copy check could not run: " + NAS_DOWN + ")")
                        .doesNotContain("its last evidence is now too old"));
        assertThat(alertOf(practice, "nas-copy").silenced).isFalse();
    }

    @Test
    void aRuleStillFailingWhenTheSilentAgentReportsAgainIsEmailedThen() {
        Practice practice = practiceWatchingTheNas("Dark Court Practice " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant silent = healthyThenSilent(practice);
        sendAllDue(silent.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(0)))).extracting(AlertTesting::subject).singleElement()
                .satisfies(s -> assertThat(s).startsWith("[Rampart] NOT REPORTING: " + practice.name));
        // the API says why nobody was emailed about it (the alerts page shows "not emailed: the agent is not reporting")
        assertThat(awaitAlert(practice, "nas-copy", "OPEN")).containsEntry("silenced", true).containsEntry("toldAt", null);

        // the agent is back, and the NAS it reads really is gone
        Instant back = at(silent.plus(Duration.ofHours(1)));
        evidence.reportChecks(practice, back, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.evaluateAllDue(back);
        awaitAlert(practice, "agent-heartbeat", "RESOLVED");
        sendAllDue(back.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(0)))).extracting(AlertTesting::subject).containsExactlyInAnyOrder(
                "[Rampart] NOT REPORTING: " + practice.name + ", 3 backup checks unknown",
                "[Rampart] Recovered: Rampart agent at " + practice.name,
                "[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
        Alert nasCopy = alertOf(practice, "nas-copy");
        assertThat(nasCopy.silenced).isFalse();
        assertThat(nasCopy.toldAt).isNotNull();
        Map<String, Object> told = awaitAlert(practice, "nas-copy", "OPEN");
        assertThat(told).containsEntry("silenced", false);
        assertThat(Instant.parse((String) told.get("toldAt"))).isEqualTo(nasCopy.toldAt);
    }

    @Test
    void anAgentBackWithEventsSetAsideIsNoLongerSilentAndWhatStillFailsIsEmailed() {
        Practice practice = practiceWatchingTheNas("Set Aside Row Practice " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant silent = healthyThenSilent(practice);
        sendAllDue(silent.plus(Duration.ofMinutes(6)));

        // the agent calls in again, but holds events the control plane refused: its heartbeat is AT_RISK, not PASS
        Instant back = at(silent.plus(Duration.ofHours(1)));
        evidence.reportChecks(practice, back, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.reportHeartbeat(practice, back, io.rampart.protocol.agent.v1.Heartbeat.newBuilder().setHostname("server")
                .setAgentVersion("test").setEventsSetAside(2).setOldestSetAsideAt(ProtoTime.timestamp(back.minus(Duration.ofHours(1)))).build());
        evidence.evaluateAllDue(back);
        await().atMost(Duration.ofSeconds(30)).until(() -> !alertOf(practice, "nas-copy").silenced);
        sendAllDue(back.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(List.of(contacts.get(0)))).extracting(AlertTesting::subject)
                .contains("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
        assertThat(alertOf(practice, "agent-heartbeat").status).isNotEqualTo(Alert.Status.RESOLVED);
    }

    @Test
    void anAgentBackInsideAMaintenanceWindowHasWhatStillFailsEmailedWhenTheWindowEnds() {
        Practice practice = practiceWatchingTheNas("Window Return Practice " + UUID.randomUUID(), Map.of("groupWindow", "PT5M"));
        List<String> contacts = contactsOf(practice);
        Instant silent = healthyThenSilent(practice);

        // the technician puts the practice in maintenance before anything went out; the agent comes back inside it
        Instant windowEnd = silent.plus(Duration.ofHours(3));
        given().auth().oauth2(Tokens.of("alice")).contentType("application/json")
                .body(Map.of("practiceId", practice.id, "endsAt", windowEnd.toString(), "reason", "Replacing the server"))
                .post("/api/maintenance-windows").then().statusCode(201);
        Instant back = at(silent.plus(Duration.ofHours(1)));
        evidence.reportChecks(practice, back, List.of(unreachable("nas-copy", CheckKind.CHECK_KIND_BACKUP_FOLDER)));
        evidence.evaluateAllDue(back);
        awaitAlert(practice, "agent-heartbeat", "RESOLVED");
        sendAllDue(back.plus(Duration.ofMinutes(6)));
        assertThat(messagesTo(contacts)).isEmpty();

        at(windowEnd.plusSeconds(1));
        sendAllDue(windowEnd.plusSeconds(1));
        assertThat(messagesTo(List.of(contacts.get(0)))).extracting(AlertTesting::subject)
                .containsExactly("[Rampart] FAILED: Daily copy on the NAS at " + practice.name);
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

    /** A practice in a group of its own that checks its NAS copy, a restore test from it and its archive, with these settings. */
    private Practice practiceWatchingTheNas(String name, Map<String, ?> settings) {
        Practice practice = fleet.newPractice(name);
        fleet.addCheck(practice.groupId, "restore-test", "RESTORE_TEST", "{}");
        fleet.addCheck(practice.groupId, "archive-retention", "BACKUP_FOLDER", "{}");
        putGroupSettings(practice, settings).then().statusCode(200);
        return practice;
    }

    private static List<String> contactsOf(Practice practice) {
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        String manager = "manager-" + UUID.randomUUID() + "@practice.example";
        addContact(practice, "Northwind service desk", it, "IT_CONTACT");
        addContact(practice, "Dr Pat Manager", manager, "PRACTICE_MANAGER");
        return List.of(it, manager);
    }

    /** The practice's NAS copy fresh now, evaluated; returns now. */
    private Instant healthyAt(Practice practice) {
        Instant t = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t, List.of(freshNasCopy(t.minus(Duration.ofHours(2)))));
        evidence.evaluateAllDue(t);
        return t;
    }

    /**
     * The practice's NAS copy and restore test pass, then its agent goes quiet for 30 h, so that the heartbeat and
     * nas-copy (on its aged evidence) fail: returns that moment, the control plane's clock set to it.
     */
    private Instant healthyThenSilent(Practice practice) {
        Instant t0 = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t0, List.of(freshNasCopy(t0.minus(Duration.ofHours(2))), restorePassed()));
        evidence.evaluateAllDue(t0);
        Instant silent = at(t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(silent);
        awaitAlert(practice, "nas-copy", "OPEN");
        return silent;
    }

    /** Sets the control plane's clock to {@code instant} and returns it. */
    private Instant at(Instant instant) {
        clock.set(instant);
        return instant;
    }

    private void sendAllDue(Instant now) {
        AlertTesting.sendAllDue(delivery, now);
    }

    private static List<Notification> notificationsOf(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> list("practiceId", practice.id));
    }

    private static Alert alertOf(Practice practice, String ruleId) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> find("practiceId = ?1 and ruleId = ?2 order by openedAt desc",
                practice.id, ruleId).firstResult());
    }

    private static io.restassured.response.Response putGroupSettings(Practice practice, Map<String, ?> settings) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(settings)
                .put("/api/groups/{id}/notification-settings", practice.groupId);
    }
}
