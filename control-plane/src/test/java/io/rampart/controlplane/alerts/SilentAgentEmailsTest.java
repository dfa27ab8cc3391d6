package io.rampart.controlplane.alerts;

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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * An agent gone silent is one "not reporting" email that names what is unknown, not one per rule; what failed on its
 * own evidence before it went quiet stays failing; on its return, what passes is never emailed and what still fails
 * is, at once or when a maintenance window ends. Real PostgreSQL, Kafka and SMTP (GreenMail); the clock is moved.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(NasIncidentScene.SetClock.class)
class SilentAgentEmailsTest extends NasIncidentScene {

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
}
