package io.rampart.controlplane.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.alerts.Alert;
import io.rampart.controlplane.alerts.Notification;
import io.rampart.controlplane.compliance.ComplianceHistoryEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.KafkaTopics;
import io.rampart.controlplane.testing.ManagementPort;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.audit.v1.AuditEvent;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * The transactional outbox against the real PostgreSQL and Kafka: what rolls back is never sent;
 * while Kafka refuses writes the changes commit and wait, then each is relayed once, in order per
 * practice; a relay that "crashes" after Kafka acknowledged (its delete fails, so its transaction
 * rolls back) sends again, and the alert consumer counts the change once.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class OutboxRelayTest {

    @Inject
    EventOutbox outbox;
    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    EntityManager entityManager;
    @Inject
    MeterRegistry registry;

    @Test
    void aRecordWhoseTransactionRollsBackIsNeverSentAndTheNextCommittedOneIs() {
        AuditEvent rolledBack = auditEvent();
        AuditEvent committed = auditEvent();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                outbox.add(List.of(entry(rolledBack)));
                throw new IllegalStateException("the change failed after its outbox row was written");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.add(List.of(entry(committed))));
        evidence.awaitOutboxRelayed();

        List<String> onKafka = TopicReader.readAll("audit").stream().map(record -> parseAudit(record.value()).getEventId()).toList();
        assertThat(onKafka).containsOnlyOnce(committed.getEventId()).doesNotContain(rolledBack.getEventId());
    }

    @Test
    void whileKafkaRefusesWritesChangesCommitAndWaitThenEachIsRelayedInOrderPerPractice() {
        Practice first = fleet.newPractice("Broker Down Surgery " + UUID.randomUUID());
        Practice second = fleet.newPractice("Broker Down Clinic " + UUID.randomUUID());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(first, t0, t0.minus(Duration.ofHours(2)));
        evidence.reportNasCopy(second, t0, t0.minus(Duration.ofHours(3)));
        double failedRounds = failedRelayRounds();

        List<UUID> waitingForFirst;
        List<UUID> waitingForSecond;
        KafkaTopics.refuseWrites("compliance");
        try {
            evidence.drain(t0, 50);
            evidence.drain(t0.plus(Duration.ofHours(25)), 50);
            evidence.drain(t0.plus(Duration.ofHours(27)), 50);
            // PostgreSQL has every change, and the outbox one record for each
            waitingForFirst = waiting(first);
            waitingForSecond = waiting(second);
            assertThat(waitingForFirst).hasSize((int) historyCount(first)).hasSizeGreaterThan(12);
            assertThat(waitingForSecond).hasSize((int) historyCount(second));
            // an outbox row older than the limit (5 min) makes the replica not ready, and says why
            insertOldRow(Duration.ofMinutes(10));
            ManagementPort.given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'outbox' }.status", org.hamcrest.Matchers.equalTo("DOWN"))
                    .body("checks.find { it.name == 'outbox' }.data.reason",
                            org.hamcrest.Matchers.containsString("have waited up to 10 min for Kafka (limit 5 min)"));
            assertThat(registry.get("rampart.outbox.depth").gauge().value()).isGreaterThanOrEqualTo(waitingForFirst.size() + 1);
            // Kafka refused at least one round, and nothing was lost or sent
            await().atMost(Duration.ofSeconds(120)).until(() -> failedRelayRounds() > failedRounds);
            assertThat(waiting(first)).isEqualTo(waitingForFirst);
        } finally {
            KafkaTopics.acceptWrites("compliance");
        }
        evidence.awaitOutboxRelayed();
        ManagementPort.given().get("/q/health/ready").then().body("checks.find { it.name == 'outbox' }.status", org.hamcrest.Matchers.equalTo("UP"));

        // Every change, in order per practice. A round Kafka took only in part (the topic's partitions took the
        // restored setting one after the other) is sent again whole: at least once, a repeat of what was already
        // there, which the consumers apply once (by event id; the relay-crash test below shows the alert side).
        var records = TopicReader.readAll("compliance");
        assertThat(records.stream().filter(r -> r.key().equals(first.id.toString())).map(r -> UUID.fromString(parse(r.value()).getEventId()))
                .distinct()).containsExactlyElementsOf(waitingForFirst);
        assertThat(records.stream().filter(r -> r.key().equals(second.id.toString())).map(r -> UUID.fromString(parse(r.value()).getEventId()))
                .distinct()).containsExactlyElementsOf(waitingForSecond);
    }

    @Test
    void aRelayThatCrashesAfterKafkaAcknowledgedSendsAgainAndTheAlertIsOpenedOnceAndResolved() {
        Practice practice = fleet.newPractice("Relay Crash Surgery " + UUID.randomUUID());
        String manager = "manager-" + UUID.randomUUID() + "@relay-crash.example";
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("name", "Dr Relay", "email", manager, "role", "PRACTICE_MANAGER"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);

        double failedRounds = failedRelayRounds();
        evidence.reportHeartbeat(practice, t0.plus(Duration.ofHours(27))); // the agent calls in: its NAS copy fails, not its silence
        crashRelayBeforeItsDelete(true);
        UUID firstChange;
        try {
            evidence.drain(t0.plus(Duration.ofHours(27)), 50); // nas-copy FAIL
            firstChange = QuarkusTransaction.requiringNew().call(() -> (UUID) entityManager.createNativeQuery(
                    "select event_id from event_outbox where record_key = ?1 order by id limit 1", UUID.class)
                    .setParameter(1, practice.id.toString()).getSingleResult());
            // sent, then the relay's transaction rolled back: at least twice on Kafka
            await().atMost(Duration.ofSeconds(60)).until(() -> failedRelayRounds() >= failedRounds + 2);
            assertThat(TopicReader.readAll("compliance").stream().filter(r -> parse(r.value()).getEventId().equals(firstChange.toString())))
                    .hasSizeGreaterThanOrEqualTo(2);
        } finally {
            crashRelayBeforeItsDelete(false);
        }
        evidence.awaitOutboxRelayed();
        evidence.reportNasCopy(practice, t0.plus(Duration.ofHours(28)), t0.plus(Duration.ofHours(28)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(28))); // nas-copy PASS again

        await().atMost(Duration.ofSeconds(30)).until(() -> alerts(practice).stream().allMatch(a -> a.status == Alert.Status.RESOLVED)
                && !alerts(practice).isEmpty());
        List<Alert> alerts = alerts(practice);
        assertThat(alerts).singleElement().satisfies(alert -> assertThat(alert.resolvedAt).isNotNull());
        List<Notification.Kind> emails = QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> list(
                "alertId = ?1 and recipient = ?2 order by createdAt", alerts.get(0).id, manager).stream().map(n -> n.kind).toList());
        assertThat(emails).containsExactly(Notification.Kind.FAILURE, Notification.Kind.RECOVERY);
    }

    private List<Alert> alerts(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> list("practiceId = ?1 and ruleId = ?2", practice.id, "nas-copy"));
    }

    /** A real fault of the relay's own transaction: PostgreSQL refuses its delete after Kafka acknowledged the rows. */
    private void crashRelayBeforeItsDelete(boolean on) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (on) {
                entityManager.createNativeQuery("""
                        create or replace function test_relay_crash() returns trigger language plpgsql as $$
                        begin raise exception 'the relay crashed after Kafka acknowledged'; end $$""").executeUpdate();
                entityManager.createNativeQuery("""
                        create trigger test_relay_crash before delete on event_outbox
                        for each statement execute function test_relay_crash()""").executeUpdate();
            } else {
                entityManager.createNativeQuery("drop trigger if exists test_relay_crash on event_outbox").executeUpdate();
            }
        });
    }

    private void insertOldRow(Duration age) {
        ComplianceChanged change = ComplianceChanged.newBuilder().setEventId(UUID.randomUUID().toString())
                .setPracticeId(UUID.randomUUID().toString()).setStatus(ComplianceStatus.COMPLIANCE_STATUS_PASS).build();
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into event_outbox (topic, record_key, payload, event_id, created_at) values ('compliance', ?1, ?2, ?3, ?4)""")
                .setParameter(1, change.getPracticeId()).setParameter(2, change.toByteArray())
                .setParameter(3, UUID.fromString(change.getEventId())).setParameter(4, Instant.now().minus(age)).executeUpdate());
    }

    private List<UUID> waiting(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select event_id from event_outbox where record_key = ?1 order by id", UUID.class)
                .setParameter(1, practice.id.toString()).getResultList().stream().map(UUID.class::cast).toList());
    }

    private static long historyCount(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.count("practiceId", practice.id));
    }

    private double failedRelayRounds() {
        return registry.get("rampart.outbox.relay.failures").counter().count();
    }

    private static AuditEvent auditEvent() {
        return AuditEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setProviderId(UUID.randomUUID().toString())
                .setAction("test.outbox").build();
    }

    private static EventOutbox.Entry entry(AuditEvent event) {
        return new EventOutbox.Entry("audit", event.getProviderId(), UUID.fromString(event.getEventId()), event.toByteArray());
    }

    private static AuditEvent parseAudit(byte[] value) {
        try {
            return AuditEvent.parseFrom(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ComplianceChanged parse(byte[] value) {
        try {
            return ComplianceChanged.parseFrom(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
