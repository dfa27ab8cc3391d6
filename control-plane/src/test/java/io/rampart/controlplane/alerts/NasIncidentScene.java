package io.rampart.controlplane.alerts;

import static io.rampart.controlplane.alerts.AlertTesting.addContact;
import static io.rampart.controlplane.alerts.AlertTesting.awaitAlert;
import static io.rampart.controlplane.alerts.NasEvidence.freshNasCopy;
import static io.rampart.controlplane.alerts.NasEvidence.restorePassed;
import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.MovableClock;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * The scene of the incident-email tests: a practice whose group watches its NAS copy, a restore test from it and its
 * archive; its contacts; its evidence reported and evaluated at a moment the control plane's clock is moved to; and
 * what the alerting made of it (alerts, notifications). Real PostgreSQL, Kafka and SMTP (GreenMail).
 */
abstract class NasIncidentScene {

    /** The profile of every test of this scene: the control plane reads the MovableClock. */
    public static class SetClock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }
    }

    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

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

    /** A practice in a group of its own that checks its NAS copy, a restore test from it and its archive, with these settings. */
    Practice practiceWatchingTheNas(String name, Map<String, ?> settings) {
        Practice practice = fleet.newPractice(name);
        fleet.addCheck(practice.groupId, "restore-test", "RESTORE_TEST", "{}");
        fleet.addCheck(practice.groupId, "archive-retention", "BACKUP_FOLDER", "{}");
        putGroupSettings(practice, settings).then().statusCode(200);
        return practice;
    }

    static List<String> contactsOf(Practice practice) {
        String it = "it-" + UUID.randomUUID() + "@northwind.example";
        String manager = "manager-" + UUID.randomUUID() + "@practice.example";
        addContact(practice, "Northwind service desk", it, "IT_CONTACT");
        addContact(practice, "Dr Pat Manager", manager, "PRACTICE_MANAGER");
        return List.of(it, manager);
    }

    /** The practice's NAS copy fresh now, evaluated; returns now. */
    Instant healthyAt(Practice practice) {
        Instant t = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t, List.of(freshNasCopy(t.minus(Duration.ofHours(2)))));
        evidence.evaluateAllDue(t);
        return t;
    }

    /**
     * The practice's NAS copy and restore test pass, then its agent goes quiet for 30 h, so that the heartbeat and
     * nas-copy (on its aged evidence) fail: returns that moment, the control plane's clock set to it.
     */
    Instant healthyThenSilent(Practice practice) {
        Instant t0 = at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        evidence.reportChecks(practice, t0, List.of(freshNasCopy(t0.minus(Duration.ofHours(2))), restorePassed()));
        evidence.evaluateAllDue(t0);
        Instant silent = at(t0.plus(Duration.ofHours(30)));
        evidence.evaluateAllDue(silent);
        awaitAlert(practice, "nas-copy", "OPEN");
        return silent;
    }

    /** Sets the control plane's clock to {@code instant} and returns it. */
    Instant at(Instant instant) {
        clock.set(instant);
        return instant;
    }

    void sendAllDue(Instant now) {
        AlertTesting.sendAllDue(delivery, now);
    }

    static List<Notification> notificationsOf(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> list("practiceId", practice.id));
    }

    static Alert alertOf(Practice practice, String ruleId) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> find("practiceId = ?1 and ruleId = ?2 order by openedAt desc",
                practice.id, ruleId).firstResult());
    }

    static io.restassured.response.Response putGroupSettings(Practice practice, Map<String, ?> settings) {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(settings)
                .put("/api/groups/{id}/notification-settings", practice.groupId);
    }
}
