package io.rampart.controlplane.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.icegreen.greenmail.util.GreenMailUtil;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.ManagementPort;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * One record PostgreSQL refuses goes to the dead letters and every other practice of every provider is still
 * projected; the operator sees it and replays it after the fix; while PostgreSQL refuses everything nothing is
 * dead-lettered and readiness says so; a compliance change Alerting cannot store is dead-lettered and the alerts of other
 * practices open. Records are written straight to the topics, as a bug past ingest or in the evaluation would.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@TestProfile(DeadLettersTest.QuickRetries.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLettersTest {

    static final String OPERATOR = "operator@rampart.test";

    /** Retries in a fraction of a second instead of seconds; the operator has an address. */
    public static class QuickRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rampart.consumers.backoff", "100ms", "rampart.consumers.max-backoff", "500ms",
                    "rampart.consumers.poll-attempts", "2", "rampart.consumers.record-attempts", "2",
                    "rampart.consumers.failing-threshold", "2s", "rampart.operator.email", OPERATOR);
        }
    }

    private static KafkaProducer<String, byte[]> producer;

    @Inject
    EntityManager entityManager;
    @Inject
    MeterRegistry registry;
    @Inject
    TestFleet fleet;

    @Test
    @Order(1)
    void aRecordPostgresRefusesIsDeadLetteredWhileThePracticesOfEveryProviderAreProjected() throws Exception {
        Tenant first = new Tenant();
        Tenant second = new Tenant();
        RecordedEvent firstBefore = first.heartbeat("surgery-1");
        RecordedEvent secondBefore = second.heartbeat("clinic-1");
        RecordedEvent poison = first.usbResult("USB drive USB\u0000X attached");
        RecordedEvent firstAfter = first.heartbeat("surgery-2");
        RecordedEvent secondAfter = second.heartbeat("clinic-2");

        write(firstBefore, secondBefore);
        RecordMetadata poisonAt = write(poison);
        write(firstAfter, secondAfter);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(projected(firstBefore, secondBefore, firstAfter, secondAfter))
                .isEqualTo(4));
        assertThat(projected(poison)).isZero();

        ConsumerRecord<String, byte[]> deadLetter = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLettersOf(first.practice), list -> list.size() == 1).get(0);
        assertThat(deadLetter.value()).isEqualTo(poison.toByteArray());
        assertThat(header(deadLetter, DeadLetters.SOURCE_TOPIC)).isEqualTo("agent-events");
        assertThat(header(deadLetter, DeadLetters.SOURCE_PARTITION)).isEqualTo(String.valueOf(poisonAt.partition()));
        assertThat(header(deadLetter, DeadLetters.SOURCE_OFFSET)).isEqualTo(String.valueOf(poisonAt.offset()));
        assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("fleet-projection");
        assertThat(header(deadLetter, DeadLetters.ATTEMPTS)).isEqualTo("2");
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_CLASS)).isEqualTo("org.postgresql.util.PSQLException");
        assertThat(header(deadLetter, DeadLetters.REASON)).contains("invalid byte sequence for encoding \"UTF8\": 0x00", "SQLSTATE 22021");
        assertThat(Instant.parse(header(deadLetter, DeadLetters.FIRST_FAILED_AT)))
                .isBeforeOrEqualTo(Instant.parse(header(deadLetter, DeadLetters.DEAD_LETTERED_AT)));

        assertThat(registry.counter("rampart.consumer.dead.letters", "consumer", "fleet-projection").count()).isEqualTo(1);

        MimeMessage email = await().atMost(Duration.ofSeconds(30)).until(() -> operatorEmails(), list -> !list.isEmpty()).get(0);
        assertThat(email.getSubject()).isEqualTo("[Rampart operator] fleet-projection: 1 record dead-lettered");
        assertThat(GreenMailUtil.getBody(email)).contains("rampart.dead-letters",
                "First reason: agent-events-" + poisonAt.partition() + "@" + poisonAt.offset(), "0x00",
                "ReplayDeadLetters --consumer fleet-projection");

        JsonPath ready = ManagementPort.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, Object> check = ready.getMap("checks.find { it.name == 'consumer fleet-projection' }");
        assertThat(check).containsEntry("status", "UP");
        assertThat(ready.getInt("checks.find { it.name == 'consumer fleet-projection' }.data.deadLetters")).isEqualTo(1);
        assertThat(ready.getString("checks.find { it.name == 'consumer fleet-projection' }.data.lastDeadLetter"))
                .startsWith("agent-events-" + poisonAt.partition() + "@" + poisonAt.offset() + ": PSQLException: ").contains("0x00");
    }

    @Test
    @Order(2)
    void aDeadLetterReplayedAfterTheFixIsAppliedOnceAndASecondReplayChangesNothing() throws Exception {
        Tenant tenant = new Tenant();
        // the "bug": a constraint the projection's rows may not break, met by one record only
        sql("alter table event_history add constraint dead_letters_test_bug check (summary not like '%not-yet-supported%')");
        RecordedEvent refused = tenant.usbResult("drive label not-yet-supported");
        RecordedEvent before = tenant.heartbeat("surgery-1");
        RecordedEvent after = tenant.heartbeat("surgery-2");
        try {
            write(before, refused, after);
            await().atMost(Duration.ofSeconds(60)).until(() -> deadLettersOf(tenant.practice).size() == 1);
            assertThat(projected(before, after)).isEqualTo(2);
            assertThat(header(deadLettersOf(tenant.practice).get(0), DeadLetters.REASON)).contains("dead_letters_test_bug", "SQLSTATE 23514");
        } finally {
            sql("alter table event_history drop constraint dead_letters_test_bug"); // the fix
        }

        String firstReplay = replay();
        assertThat(firstReplay).contains("key " + tenant.practice + ", dead-lettered at ").contains(" -> agent-events-");
        await().atMost(Duration.ofSeconds(60)).until(() -> projected(refused) == 1);

        String secondReplay = replay();
        assertThat(secondReplay).doesNotContain("key " + tenant.practice);
        assertThat(projected(before, refused, after)).isEqualTo(3);
        assertThat(deadLettersOf(tenant.practice)).hasSize(1);
    }

    @Test
    @Order(3)
    void whilePostgresRefusesEveryRecordNothingIsDeadLetteredReadinessIsDownAndItCatchesUpAfter() throws Exception {
        Tenant tenant = new Tenant();
        double deadLettersBefore = registry.counter("rampart.consumer.dead.letters", "consumer", "fleet-projection").count();

        // a failure PostgreSQL does not class as its own state: only the probe (a good record refused too) tells it apart
        sql("create or replace function dead_letters_test_refuse() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refusing every row for this test'; end $$");
        sql("create trigger dead_letters_test_refuse before insert on event_history for each statement "
                + "execute function dead_letters_test_refuse()");
        RecordedEvent first = tenant.heartbeat("surgery-1");
        try {
            write(first);
            awaitNotReady("refusing every row for this test");
        } finally {
            sql("drop trigger dead_letters_test_refuse on event_history");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> projected(first) == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ManagementPort.given().get("/q/health/ready").then().statusCode(200));

        // a table gone (renamed) is the schema's state: retried as such
        sql("alter table event_history rename to event_history_away");
        RecordedEvent second = tenant.heartbeat("surgery-2");
        try {
            write(second);
            awaitNotReady("relation \"event_history\" does not exist");
        } finally {
            sql("alter table event_history_away rename to event_history");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> projected(second) == 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ManagementPort.given().get("/q/health/ready").then().statusCode(200));

        assertThat(deadLettersOf(tenant.practice)).isEmpty();
        assertThat(registry.counter("rampart.consumer.dead.letters", "consumer", "fleet-projection").count()).isEqualTo(deadLettersBefore);
    }

    @Test
    @Order(4)
    void aComplianceChangeThatCannotBeStoredIsDeadLetteredAndTheAlertsOfOtherPracticesOpen() throws Exception {
        Practice poisoned = fleet.newPractice("Nul Lane Surgery " + UUID.randomUUID());
        Practice other = fleet.newPractice("Clear Road Clinic " + UUID.randomUUID());
        ComplianceChanged poison = failing(poisoned, "USB drive USB\u0000X attached since 3 Nov");
        ComplianceChanged good = failing(other, "no NAS copy for 31 h (limit 26 h)");

        RecordMetadata poisonAt = writeCompliance(poison);
        writeCompliance(good);

        await().atMost(Duration.ofSeconds(60)).until(() -> openAlerts(other) == 1);
        ConsumerRecord<String, byte[]> deadLetter = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLettersOf(poisoned.id), list -> list.size() == 1).get(0);
        assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("alerts");
        assertThat(header(deadLetter, DeadLetters.SOURCE_TOPIC)).isEqualTo("compliance");
        assertThat(header(deadLetter, DeadLetters.SOURCE_OFFSET)).isEqualTo(String.valueOf(poisonAt.offset()));
        assertThat(header(deadLetter, DeadLetters.REASON)).contains("0x00");
        assertThat(openAlerts(poisoned)).isZero();
        assertThat(registry.counter("rampart.consumer.dead.letters", "consumer", "alerts").count()).isEqualTo(1);
        assertThat(ManagementPort.given().get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .getString("checks.find { it.name == 'consumer alerts' }.data.lastDeadLetter"))
                .isEqualTo("compliance-" + poisonAt.partition() + "@" + poisonAt.offset()
                        + ": PSQLException: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00 (SQLSTATE 22021)");
    }

    private static ComplianceChanged failing(Practice practice, String reason) {
        return ComplianceChanged.newBuilder().setEventId(UUID.randomUUID().toString()).setProviderId(practice.providerId.toString())
                .setGroupId(practice.groupId.toString()).setPracticeId(practice.id.toString()).setRuleId("usb-rotation")
                .setStatus(ComplianceStatus.COMPLIANCE_STATUS_FAIL).setPreviousStatus(ComplianceStatus.COMPLIANCE_STATUS_PASS)
                .setReason(reason).setChangedAt(ProtoTime.timestamp(Instant.now())).build();
    }

    private static synchronized RecordMetadata writeCompliance(ComplianceChanged change) throws Exception {
        write(); // makes the producer
        return producer.send(new ProducerRecord<>("compliance", change.getPracticeId(), change.toByteArray())).get(30, TimeUnit.SECONDS);
    }

    private long openAlerts(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from alert where practice_id = ?1 and status <> 'RESOLVED'")
                .setParameter(1, practice.id).getSingleResult()).longValue());
    }

    private void awaitNotReady(String reason) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath ready = ManagementPort.given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            String path = "checks.find { it.name == 'consumer fleet-projection' }";
            assertThat(ready.getString(path + ".status")).isEqualTo("DOWN");
            assertThat(ready.getString(path + ".data.why")).startsWith("fleet-projection has failed to apply its records for ")
                    .contains("(more than 2 s)", reason);
        });
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    /** A provider with one group and one practice and its agent, as far as the projection knows them (by their ids). */
    private static final class Tenant {
        final UUID provider = UUID.randomUUID();
        final UUID group = UUID.randomUUID();
        final UUID practice = UUID.randomUUID();
        final UUID agent = UUID.randomUUID();

        RecordedEvent heartbeat(String hostname) {
            return recorded(AgentEvent.newBuilder().setHeartbeat(Heartbeat.newBuilder().setHostname(hostname).setAgentVersion("1.0")));
        }

        RecordedEvent usbResult(String summary) {
            return recorded(AgentEvent.newBuilder().setCheckResult(CheckResult.newBuilder().setCheckId("usb-rotation")
                    .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER).setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(summary)));
        }

        private RecordedEvent recorded(AgentEvent.Builder event) {
            Instant now = Instant.now();
            return RecordedEvent.newBuilder().setAgentId(agent.toString()).setPracticeId(practice.toString()).setGroupId(group.toString())
                    .setProviderId(provider.toString()).setReceivedAt(ProtoTime.timestamp(now))
                    .setEvent(event.setEventId(UUID.randomUUID().toString()).setPracticeId(practice.toString()).setOccurredAt(ProtoTime.timestamp(now)))
                    .build();
        }
    }

    private static synchronized RecordMetadata write(RecordedEvent... events) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        RecordMetadata last = null;
        for (RecordedEvent event : events) {
            last = producer.send(new ProducerRecord<>("agent-events", event.getPracticeId(), event.toByteArray())).get(30, TimeUnit.SECONDS);
        }
        return last;
    }

    private long projected(RecordedEvent... events) {
        UUID[] ids = Arrays.stream(events).map(event -> UUID.fromString(event.getEvent().getEventId())).toArray(UUID[]::new);
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from event_history where event_id = any(cast(?1 as uuid[]))")
                .setParameter(1, Arrays.stream(ids).map(UUID::toString).toArray(String[]::new)).getSingleResult()).longValue());
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(statement).executeUpdate());
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(UUID practice) {
        return TopicReader.readAllOrNone("rampart.dead-letters").stream().filter(record -> practice.toString().equals(record.key())).toList();
    }

    private static List<MimeMessage> operatorEmails() throws Exception {
        List<MimeMessage> emails = new java.util.ArrayList<>();
        for (MimeMessage message : RealServers.mail().getReceivedMessages()) {
            if (Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().equals(OPERATOR))) {
                emails.add(message);
            }
        }
        return emails;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static String replay() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplayDeadLetters.replay(Map.of("bootstrap.servers", RealServers.bootstrapServers()), "rampart.dead-letters", "fleet-projection", false,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
