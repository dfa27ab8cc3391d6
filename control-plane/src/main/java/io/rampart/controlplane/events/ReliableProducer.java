package io.rampart.controlplane.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of the control plane: idempotent, acks=all, and a write returns only
 * when every record is replicated, so callers may tell their clients the data is safe.
 */
@ApplicationScoped
public class ReliableProducer {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** The producer settles every record within delivery.timeout.ms (WRITE_TIMEOUT); the rest is margin. */
    public static final Duration SETTLE_TIMEOUT = WRITE_TIMEOUT.plusSeconds(30);

    @Inject
    KafkaClients clients;

    private volatile KafkaProducer<String, byte[]> producer;

    /** A keyed record; records with one key keep their order. */
    public record Keyed(String key, byte[] value) {
    }

    public void write(String topic, List<Keyed> records) throws EventLogUnavailable {
        KafkaProducer<String, byte[]> producer = producer();
        List<Future<RecordMetadata>> writes = new ArrayList<>(records.size());
        try {
            for (Keyed record : records) {
                writes.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
        } catch (KafkaException e) {
            throw new EventLogUnavailable(e.getMessage(), e);
        }
        long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
        for (Future<RecordMetadata> write : writes) {
            acknowledged(write, deadline);
        }
    }

    /**
     * Writes one record as it is (headers, key and partition included) and returns once it is replicated.
     *
     * @throws EventLogUnavailable when Kafka did not acknowledge it within 30 s
     */
    public RecordMetadata writeRecord(ProducerRecord<String, byte[]> record) throws EventLogUnavailable {
        Future<RecordMetadata> write;
        try {
            write = producer().send(record);
        } catch (KafkaException e) {
            throw new EventLogUnavailable(e.getMessage(), e);
        }
        return acknowledged(write, System.nanoTime() + WRITE_TIMEOUT.toNanos());
    }

    /** Waits for Kafka's acknowledgement of one write until {@code deadline} (System.nanoTime()). */
    private static RecordMetadata acknowledged(Future<RecordMetadata> write, long deadline) throws EventLogUnavailable {
        try {
            return write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new EventLogUnavailable(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new EventLogUnavailable("no acknowledgement within " + WRITE_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogUnavailable("interrupted", e);
        }
    }

    /**
     * Like {@link #write}, but returns (or throws) only once the producer has settled every record:
     * acknowledged, or given up by the producer itself (delivery.timeout.ms, 30 s, or a refusal). So a
     * caller that sends the records again after a failure (the outbox relay) never races a copy still
     * being retried inside the producer, and a refusal by Kafka sends each record once in the end.
     *
     * @throws EventLogUnavailable naming the first failure, after every record settled (at most {@link #SETTLE_TIMEOUT})
     */
    public void writeSettled(String topic, List<Keyed> records) throws EventLogUnavailable {
        KafkaProducer<String, byte[]> producer = producer();
        List<Future<RecordMetadata>> writes = new ArrayList<>(records.size());
        EventLogUnavailable failure = null;
        try {
            for (Keyed record : records) {
                writes.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
        } catch (KafkaException e) {
            failure = new EventLogUnavailable(e.getMessage(), e);
        }
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (Future<RecordMetadata> write : writes) {
            try {
                write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : new EventLogUnavailable(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                failure = failure != null ? failure
                        : new EventLogUnavailable("no acknowledgement within " + SETTLE_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventLogUnavailable("interrupted", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Map<String, Object> properties = clients.common("rampart-control-plane");
                    properties.put(ProducerConfig.ACKS_CONFIG, "all");
                    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
                    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
                    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
                    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
                    producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
                }
                current = producer;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
