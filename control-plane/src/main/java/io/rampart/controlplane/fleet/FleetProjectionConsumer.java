package io.rampart.controlplane.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Reads agent-events and keeps the fleet tables up to date. Offsets are committed only after
 * the projection's transaction commits; a crash in between replays events, which the projection
 * ignores by event id. Replicas share the partitions through one consumer group.
 */
@ApplicationScoped
public class FleetProjectionConsumer {

    private static final Logger LOG = Logger.getLogger(FleetProjectionConsumer.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    @Inject
    KafkaClients clients;
    @Inject
    RampartConfig config;
    @Inject
    FleetProjection projection;
    @Inject
    MeterRegistry registry;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private Counter applied;
    private Counter duplicates;
    private Counter unreadable;

    public synchronized void start() {
        if (running.get()) {
            return;
        }
        applied = registry.counter("rampart.projection.events", "outcome", "applied");
        duplicates = registry.counter("rampart.projection.events", "outcome", "duplicate");
        unreadable = registry.counter("rampart.projection.events", "outcome", "unreadable");
        Map<String, Object> properties = clients.common("rampart-fleet-projection");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().projectionsConsumerGroup());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(clients.agentEventsTopic()));
        running.set(true);
        thread = new Thread(this::pollUntilStopped, "fleet-projection");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        if (!running.getAndSet(false)) {
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        return running.get();
    }

    private void pollUntilStopped() {
        try (KafkaConsumer<String, byte[]> consumer = this.consumer) {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    Poll poll = read(records);
                    // The whole poll in one transaction, with a handful of set-based statements.
                    FleetProjection.Outcome outcome = poll.readable().isEmpty() ? new FleetProjection.Outcome(0, 0)
                            : QuarkusTransaction.requiringNew().call(() -> projection.applyAll(poll.readable()));
                    // Counted once the transaction has committed, so a retried poll is not counted twice.
                    applied.increment(outcome.applied());
                    duplicates.increment(outcome.duplicates());
                    unreadable.increment(poll.unreadable());
                    consumer.commitSync(nextOffsets(records));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // The database refused: go back to the first record of this poll and try again.
                    LOG.warnf("Projecting %d events failed, retrying in %s: %s", records.count(), RETRY_PAUSE, e.getMessage());
                    records.partitions().forEach(partition -> consumer.seek(partition, records.records(partition).get(0).offset()));
                    pause();
                }
            }
        } catch (WakeupException stopping) {
            // stop() was called
        } catch (RuntimeException e) {
            LOG.error("The fleet projection stopped", e);
            running.set(false);
        }
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

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
