package io.rampart.controlplane.fleet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.StoreProbe;
import io.rampart.controlplane.events.TopicConsumer;
import io.rampart.controlplane.events.TopicConsumers;
import io.rampart.controlplane.events.UnreadableRecord;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Reads agent-events and keeps the fleet tables up to date (through a TopicConsumer: offsets are
 * committed after the projection's transaction; a replayed event is ignored by its id; a record
 * the projection cannot apply goes to the dead letters and the others go on).
 */
@ApplicationScoped
public class FleetProjectionConsumer {

    /** The consumer's name in metrics, readiness, logs and dead-letter headers. */
    public static final String NAME = "fleet-projection";

    @Inject
    KafkaClients clients;
    @Inject
    RampartConfig config;
    @Inject
    FleetProjection projection;
    @Inject
    MeterRegistry registry;
    @Inject
    TopicConsumers consumers;
    @Inject
    Clock clock;

    private volatile TopicConsumer consumer;
    @Inject
    FleetMeters fleetMeters;

    private Counter applied;
    private Counter duplicates;

    /** After the topics exist (events/EventLogLifecycle creates them at the default priority). */
    void onStart(@Observes @Priority(2600) StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running()) {
            return;
        }
        applied = Counter.builder("rampart.projection.events").tag("outcome", "applied")
                .description("Agent events the fleet projection read, by outcome: applied, or a duplicate it had applied before")
                .register(registry);
        duplicates = Counter.builder("rampart.projection.events").tag("outcome", "duplicate")
                .description("Agent events the fleet projection read, by outcome: applied, or a duplicate it had applied before")
                .register(registry);
        consumer = consumers.start(NAME, config.kafka().projectionsConsumerGroup(), clients.agentEventsTopic(), 1000, this::apply,
                this::probe);
    }

    public synchronized void stop() {
        if (consumer != null) {
            consumer.stop();
        }
    }

    public boolean running() {
        return consumer != null && consumer.running();
    }

    private void apply(ConsumerRecords<String, byte[]> records) {
        List<FleetProjection.Delivered> readable = read(records);
        // The whole poll in one transaction, with a handful of set-based statements.
        FleetProjection.Outcome outcome = QuarkusTransaction.requiringNew().call(() -> projection.applyAll(readable));
        // Counted once the transaction has committed, so a retried poll is not counted twice.
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        fleetMeters.heard(readable);
    }

    /** A heartbeat of an agent nobody has, applied through the same statements and rolled back. */
    private void probe() {
        RecordedEvent heartbeat = RecordedEvent.newBuilder().setAgentId(UUID.randomUUID().toString())
                .setPracticeId(UUID.randomUUID().toString()).setGroupId(UUID.randomUUID().toString())
                .setProviderId(UUID.randomUUID().toString()).setReceivedAt(ProtoTime.timestamp(clock.instant()))
                .setEvent(AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(ProtoTime.timestamp(clock.instant()))
                        .setHeartbeat(Heartbeat.newBuilder().setHostname("rampart-probe").setAgentVersion("probe")))
                .build();
        StoreProbe.inRolledBackTransaction(() -> projection.applyAll(List.of(new FleetProjection.Delivered(heartbeat, 0, 0))));
    }

    private static List<FleetProjection.Delivered> read(ConsumerRecords<String, byte[]> records) {
        List<FleetProjection.Delivered> readable = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                readable.add(new FleetProjection.Delivered(RecordedEvent.parseFrom(record.value()), record.partition(), record.offset()));
            } catch (InvalidProtocolBufferException e) {
                // only the control plane writes this topic, after validating: such a record goes to the dead letters
                throw new UnreadableRecord(record.topic(), record.partition(), record.offset(), e);
            }
        }
        return readable;
    }
}
