package io.rampart.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;

import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.outbox.Outbox;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;

class DeliveryTest {

    @TempDir
    Path home;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private final AtomicInteger acknowledgedReported = new AtomicInteger();
    private Outbox outbox;
    private ControlPlaneClient client;

    @BeforeEach
    void connect() throws IOException {
        String name = "control-plane-" + UUID.randomUUID();
        controlPlane.startInProcess(name);
        client = new ControlPlaneClient(InProcessChannelBuilder.forName(name).directExecutor().build());
        outbox = Outbox.open(home.resolve("outbox"));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        client.close();
        controlPlane.close();
    }

    @Test
    void deliversEveryEventOnceAfterTheControlPlaneComesBack() {
        List<AgentEvent> events = appendEvents(7);
        controlPlane.unavailableReports.set(3);
        Delivery delivery = delivery(500);
        Thread loop = new Thread(delivery::runUntilStopped);
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> outbox.size() == 0);
        } finally {
            delivery.stop();
        }

        assertThat(controlPlane.received).containsExactlyElementsOf(events);
        assertThat(controlPlane.unavailableReports).hasValue(0);
        assertThat(acknowledgedReported).hasValue(7);
    }

    @Test
    void keepsTheEventsWhenTheControlPlaneIsUnavailable() {
        appendEvents(3);
        controlPlane.unavailableReports.set(1);

        assertThatThrownBy(() -> delivery(500).deliverNow())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(outbox.size()).isEqualTo(3);
    }

    @Test
    void setsAsideOnlyTheEventTheControlPlaneRejectsAndDeliversTheOthers() throws IOException {
        List<AgentEvent> events = appendEvents(5);
        AgentEvent bad = events.get(2);
        controlPlane.invalid = event -> event.getEventId().equals(bad.getEventId());

        int acknowledged = delivery(500).deliverNow();

        assertThat(acknowledged).isEqualTo(4);
        assertThat(outbox.size()).isZero();
        assertThat(controlPlane.received).hasSize(4).doesNotContain(bad);
        try (var rejected = Files.list(outbox.rejectedDirectory())) {
            assertThat(rejected.map(Path::toString)).anyMatch(file -> file.contains(bad.getEventId()) && file.endsWith(".event"));
        }
    }

    @Test
    void sendsBatchesNoLargerThanTheConfiguredMaximum() {
        appendEvents(5);

        assertThat(delivery(2).deliverNow()).isEqualTo(5);

        assertThat(controlPlane.batchSizes).containsExactly(2, 2, 1);
    }

    @Test
    void backoffDoublesUpToTheCapAndStartsOverAfterSuccess() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), RandomGenerator.getDefault());

        List<Duration> waits = IntStream.range(0, 8).mapToObj(i -> backoff.next()).toList();
        backoff.reset();

        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waits.get(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(waits.get(7)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    private Delivery delivery(int maxBatchSize) {
        Backoff fast = new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), RandomGenerator.getDefault());
        return new Delivery(outbox, client, () -> maxBatchSize, fast, acknowledgedReported::addAndGet);
    }

    private List<AgentEvent> appendEvents(int count) {
        List<AgentEvent> events = IntStream.range(0, count)
                .mapToObj(i -> AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId("practice-7")
                        .setOccurredAt(Timestamp.newBuilder().setSeconds(1_000 + i))
                        .setHeartbeat(Heartbeat.newBuilder().setOutboxDepth(i)).build())
                .toList();
        events.forEach(outbox::append);
        return events;
    }
}
