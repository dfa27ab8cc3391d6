package io.rampart.controlplane.fleet;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.TopicConsumer;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Reads agent-events and keeps the fleet tables up to date (through a TopicConsumer: offsets are
 * committed after the projection's transaction; a replayed event is ignored by its id).
 */
@ApplicationScoped
public class FleetProjectionConsumer {

    private static final Logger LOG = Logger.getLogger(FleetProjectionConsumer.class);

    @Inject
    KafkaClients clients;
    @Inject
    RampartConfig config;
    @Inject
    FleetProjection projection;
    @Inject
    MeterRegistry registry;

    private volatile TopicConsumer consumer;
    private Counter applied;
    private Counter duplicates;
    private Counter unreadable;

    public synchronized void start() {
        if (running()) {
            return;
        }
        applied = registry.counter("rampart.projection.events", "outcome", "applied");
        duplicates = registry.counter("rampart.projection.events", "outcome", "duplicate");
        unreadable = registry.counter("rampart.projection.events", "outcome", "unreadable");
        consumer = TopicConsumer.start("fleet-projection", clients.common("rampart-fleet-projection"),
                config.kafka().projectionsConsumerGroup(), clients.agentEventsTopic(), 1000, this::apply);
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
        Poll poll = read(records);
        // The whole poll in one transaction, with a handful of set-based statements.
        FleetProjection.Outcome outcome = poll.readable().isEmpty() ? new FleetProjection.Outcome(0, 0)
                : QuarkusTransaction.requiringNew().call(() -> projection.applyAll(poll.readable()));
        // Counted once the transaction has committed, so a retried poll is not counted twice.
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        unreadable.increment(poll.unreadable());
    }

    /** A poll's records that parse, in order, and how many did not. */
    private record Poll(List<FleetProjection.Delivered> readable, int unreadable) {
    }

    private static Poll read(ConsumerRecords<String, byte[]> records) {
        List<FleetProjection.Delivered> readable = new ArrayList<>(records.count());
        int unreadable = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                readable.add(new FleetProjection.Delivered(RecordedEvent.parseFrom(record.value()), record.partition(), record.offset()));
            } catch (InvalidProtocolBufferException e) {
                // Only the control plane writes this topic, after validating; an unreadable record is skipped, not retried for ever.
                LOG.errorf("Skipping unreadable record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                unreadable++;
            }
        }
        return new Poll(readable, unreadable);
    }
}
