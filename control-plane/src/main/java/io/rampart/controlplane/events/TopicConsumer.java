package io.rampart.controlplane.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

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

/**
 * Reads one topic on a thread of its own and hands each poll to a handler, which applies it in
 * its own database transaction. Offsets are committed only after the handler returned; when it
 * throws, the poll is read again after a pause. So every record is applied at least once, and
 * handlers make a second application change nothing (by event id). Replicas share the partitions
 * through the consumer group.
 */
public final class TopicConsumer {

    private static final Logger LOG = Logger.getLogger(TopicConsumer.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecords<String, byte[]>> handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private TopicConsumer(String name, KafkaConsumer<String, byte[]> consumer, Consumer<ConsumerRecords<String, byte[]>> handler) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        this.thread = new Thread(this::pollUntilStopped, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts consuming {@code topic} as {@code group}, from the earliest record a new group has not seen.
     *
     * @param common the clients' common settings (bootstrap servers, security)
     */
    public static TopicConsumer start(String name, Map<String, Object> common, String group, String topic, int maxPollRecords,
            Consumer<ConsumerRecords<String, byte[]>> handler) {
        Map<String, Object> properties = new HashMap<>(common);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        TopicConsumer started = new TopicConsumer(name, consumer, handler);
        started.thread.start();
        return started;
    }

    public boolean running() {
        return running.get();
    }

    public void stop() {
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

    private void pollUntilStopped() {
        try (KafkaConsumer<String, byte[]> consumer = this.consumer) {
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handler.accept(records);
                    consumer.commitSync(nextOffsets(records));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // The database refused: go back to the first record of this poll and try again.
                    LOG.warnf("%s: applying %d records failed, retrying in %s: %s", name, records.count(), RETRY_PAUSE, e.getMessage());
                    records.partitions().forEach(partition -> consumer.seek(partition, records.records(partition).get(0).offset()));
                    pause();
                }
            }
        } catch (WakeupException stopping) {
            // stop() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped", name);
            running.set(false);
        }
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
