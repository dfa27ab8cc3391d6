package io.rampart.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.grpc.inprocess.InProcessChannelBuilder;

import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.outbox.SetAside;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/** Events the control plane can never take are set aside, and never hold back the ones behind them. */
class SetAsideDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");

    @TempDir
    Path home;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private Outbox outbox;
    private ControlPlaneClient client;

    @BeforeEach
    void connect() throws IOException {
        String name = "control-plane-" + UUID.randomUUID();
        controlPlane.startInProcess(name);
        client = new ControlPlaneClient(InProcessChannelBuilder.forName(name).directExecutor().build());
        outbox = Outbox.open(home.resolve("outbox"), Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        client.close();
        controlPlane.close();
    }

    @Test
    void setsAsideExactlyTheEventsTheControlPlaneNamesAndDeliversTheRestAtOnce() {
        List<AgentEvent> events = appendEvents(10, 100);
        Set<String> bad = Set.of(events.get(3).getEventId(), events.get(7).getEventId());
        controlPlane.namesInvalidEvents = true;
        controlPlane.invalid = event -> bad.contains(event.getEventId());

        int acknowledged = delivery(500).deliverNow();

        assertThat(acknowledged).isEqualTo(8);
        assertThat(controlPlane.reportCalls).as("the refused batch, then the rest at once").hasValue(2);
        assertThat(controlPlane.received).hasSize(8).noneMatch(event -> bad.contains(event.getEventId()));
        assertThat(outbox.size()).isZero();
        List<SetAside.Entry> setAside = outbox.setAsideEvents().list();
        assertThat(setAside).extracting(SetAside.Entry::eventId).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(setAside).allSatisfy(entry -> {
            assertThat(entry.reason()).isEqualTo("refused by the control plane: event " + entry.eventId()
                    + " has a text PostgreSQL cannot store (a NUL character) (field check_result.summary)");
            assertThat(entry.setAsideAt()).isEqualTo(NOW);
        });
        assertThat(outbox.setAsideEvents().summary()).isEqualTo(new SetAside.Summary(2, Optional.of(NOW)));
    }

    @Test
    void narrowsARefusalThatNamesNoEventDownToTheRefusedEventAlone() {
        List<AgentEvent> events = appendEvents(16, 100);
        AgentEvent bad = events.get(11);
        controlPlane.invalid = event -> event.getEventId().equals(bad.getEventId());

        int acknowledged = delivery(500).deliverNow();

        assertThat(acknowledged).isEqualTo(15);
        assertThat(controlPlane.received).hasSize(15).doesNotContain(bad);
        // halves, not one call per event: 16 -> 8 -> 4 -> 2 -> 1 refused, with the good halves taken on the way
        assertThat(controlPlane.reportCalls.get()).isLessThanOrEqualTo(10);
        assertThat(outbox.setAsideEvents().list()).singleElement().satisfies(entry -> {
            assertThat(entry.eventId()).isEqualTo(bad.getEventId());
            assertThat(entry.reason()).isEqualTo("refused by the control plane: an event has no payload");
        });
    }

    @Test
    void setsAsideAnEventOverTheSizeLimitWithoutEverSendingIt() {
        AgentEvent tooLarge = event(0, EventLimits.MAX_EVENT_BYTES + 1);
        outbox.append(tooLarge);
        List<AgentEvent> others = appendEvents(3, 100);

        assertThat(delivery(500).deliverNow()).isEqualTo(3);

        assertThat(controlPlane.received).containsExactlyElementsOf(others);
        assertThat(outbox.setAsideEvents().list()).singleElement().satisfies(entry -> {
            assertThat(entry.eventId()).isEqualTo(tooLarge.getEventId());
            assertThat(entry.reason()).startsWith("the event is " + tooLarge.getSerializedSize() + " bytes serialised, over the 262144 bytes"
                    + " (256 KiB) the control plane accepts for one event; it is never sent.");
            assertThat(entry.sizeBytes()).isEqualTo(tooLarge.getSerializedSize());
        });
    }

    @Test
    void cutsBatchesSoThatNoRequestExceedsTheBatchByteLimit() {
        List<AgentEvent> events = appendEvents(40, 200 * 1024);

        assertThat(delivery(500).deliverNow()).isEqualTo(40);

        assertThat(controlPlane.received).containsExactlyElementsOf(events);
        assertThat(controlPlane.requestBytes).hasSizeGreaterThan(1).allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo(EventLimits.MAX_BATCH_BYTES));
        assertThat(controlPlane.batchSizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(15));
        assertThat(outbox.setAsideEvents().list()).isEmpty();
    }

    @Test
    void aRunningAgentKeepsDeliveringWhileARefusedEventWaitsAtTheHeadOfTheOutbox() {
        List<AgentEvent> events = appendEvents(5, 100);
        controlPlane.namesInvalidEvents = true;
        controlPlane.invalid = event -> event.getEventId().equals(events.get(0).getEventId());
        Delivery delivery = delivery(2);
        Thread loop = new Thread(delivery::runUntilStopped);
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.received.size() == 4);
            AgentEvent later = event(10, 100);
            outbox.append(later);
            delivery.wakeUp();
            await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.received.contains(later));
        } finally {
            delivery.stop();
        }
        assertThat(outbox.size()).isZero();
        assertThat(outbox.setAsideEvents().list()).extracting(SetAside.Entry::eventId).containsExactly(events.get(0).getEventId());
    }

    @Test
    void aSetAsideEventPutBackAfterTheControlPlaneWasFixedIsDeliveredOnce() {
        List<AgentEvent> events = appendEvents(3, 100);
        controlPlane.namesInvalidEvents = true;
        controlPlane.invalid = event -> event.getEventId().equals(events.get(1).getEventId());
        delivery(500).deliverNow();
        controlPlane.invalid = event -> false;

        List<SetAside.Entry> putBack = SetAside.of(home.resolve("outbox"), Clock.systemUTC()).putBack(Optional.empty());

        assertThat(putBack).extracting(SetAside.Entry::eventId).containsExactly(events.get(1).getEventId());
        assertThat(delivery(500).deliverNow()).isEqualTo(1);
        assertThat(controlPlane.received).containsExactlyInAnyOrderElementsOf(events);
        assertThat(outbox.setAsideEvents().list()).isEmpty();
        assertThat(outbox.setAsideEvents().summary()).isEqualTo(new SetAside.Summary(0, Optional.empty()));
    }

    private Delivery delivery(int maxBatchSize) {
        Backoff fast = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), RandomGenerator.getDefault());
        return new Delivery(outbox, client, () -> maxBatchSize, fast, acknowledged -> {});
    }

    private List<AgentEvent> appendEvents(int count, int summaryChars) {
        List<AgentEvent> events = IntStream.range(0, count).mapToObj(i -> event(1 + i, summaryChars)).toList();
        events.forEach(outbox::append);
        return events;
    }

    private static AgentEvent event(int second, int summaryChars) {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId("practice-7")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(1_000 + second))
                .setCheckResult(CheckResult.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("x".repeat(summaryChars)))
                .build();
    }
}
