package io.rampart.controlplane.events;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.rampart.controlplane.RampartConfig;

/**
 * Reads one topic on a thread of its own and hands each poll to a handler, which applies it in its own database
 * transaction. Offsets are committed only after the handler returned, so every record is applied at least once and
 * handlers make a second application change nothing (by event id). Replicas share the partitions through the group.
 * <p>
 * When a poll fails it is tried again after a pause (PollRetry); after {@code rampart.consumers.poll-attempts} failures
 * its records are applied one by one (RecordByRecord) and a record that fails on its own goes to the dead letters
 * (DeadLetters), so one bad record never stops the others. A failure of the database or Kafka themselves is retried
 * for as long as it lasts and dead-letters nothing. A session that dies is restarted (ConsumerSupervisor); how the
 * consumer keeps up is in its ConsumerProgress (metrics, readiness). Start one through TopicConsumers.
 */
public final class TopicConsumer {

    private static final Logger LOG = Logger.getLogger(TopicConsumer.class);
    private static final Duration LAG_EVERY = Duration.ofSeconds(5);

    private final ConsumerProgress progress;
    private final Map<String, Object> properties;
    private final String topic;
    private final Consumer<ConsumerRecords<String, byte[]>> handler;
    private final PollRetry retry;
    private final RecordByRecord recordByRecord;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> current;
    private long lagLookedAt;

    TopicConsumer(ConsumerProgress progress, Map<String, Object> common, String group, String topic, int maxPollRecords,
            Consumer<ConsumerRecords<String, byte[]>> handler, Runnable probe, DeadLetters deadLetters, RampartConfig.Consumers settings,
            Clock clock) {
        this.progress = progress;
        this.properties = new HashMap<>(common);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        this.topic = topic;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.retry = new PollRetry(settings.backoff(), settings.maxBackoff(), settings.pollAttempts(), clock);
        this.recordByRecord = new RecordByRecord(progress, handler, probe, deadLetters, settings.recordAttempts(), settings.backoff(),
                this::pause);
        ConsumerSupervisor supervisor = new ConsumerSupervisor(progress, this::session, running::get, settings.backoff(),
                settings.maxBackoff(), clock, this::pause);
        this.thread = new Thread(supervisor, progress.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True from start until stopped, also while a died session waits to be restarted. */
    public boolean running() {
        return running.get() && thread.isAlive();
    }

    public ConsumerProgress progress() {
        return progress;
    }

    /** Stops polling, waits up to 30 s for the record in hand to be applied, and leaves the group. */
    public void stop() {
        if (!running.getAndSet(false)) {
            return;
        }
        stopped.countDown();
        KafkaConsumer<String, byte[]> consumer = current;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One KafkaConsumer's life: polls until stopped; an exception that escapes ends it (and the supervisor starts another). */
    private void session() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            current = consumer;
            if (!running.get()) {
                return;
            }
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                lookAtLag(consumer);
                deadLetters.alertIfDue(progress.name());
                if (!records.isEmpty()) {
                    progress.inHand(oldestTimestamp(records));
                    apply(consumer, records);
                } else {
                    // nothing more to fetch: caught up, whatever the last look at the lag (up to 5 s old) said
                    progress.lag(0);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            current = null;
        }
    }

    private void apply(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
        PollPosition position = new PollPosition(consumer, progress, records);
        RuntimeException failure = tryApply(handler, records);
        if (failure == null) {
            position.commitAll(records);
            done();
            return;
        }
        int failures = retry.failed();
        String reason = Failures.reason(failure);
        progress.failing(Failures.summary(failure));
        if (Failures.isServerState(failure) || !Failures.isUnreadable(failure) && !retry.exhausted()) {
            Duration pause = retry.nextPause();
            LOG.warnf("%s: applying %d records failed (%d times since %s), trying again in %d ms: %s", progress.name(), records.count(),
                    failures, retry.firstFailedAt(), pause.toMillis(), reason);
            position.seekBack();
            pause(pause);
            return;
        }
        LOG.warnf("%s: applying %d records failed %d times (%s); applying them one by one to find the record(s) at fault",
                progress.name(), records.count(), failures, reason);
        if (recordByRecord.apply(records, position, retry)) {
            done();
        } else {
            position.seekBack();
            pause(retry.nextPause());
        }
    }

    private void done() {
        retry.succeeded();
        progress.pollDone();
    }

    /** Runs the handler; returns what it threw (null when it applied), except what means the consumer is stopping. */
    static RuntimeException tryApply(Consumer<ConsumerRecords<String, byte[]>> handler, ConsumerRecords<String, byte[]> records) {
        try {
            handler.accept(records);
            return null;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Every few seconds: end offsets minus committed offsets of the partitions this replica has. */
    private void lookAtLag(KafkaConsumer<String, byte[]> consumer) {
        long now = clock.millis();
        if (now - lagLookedAt < LAG_EVERY.toMillis() && lagLookedAt != 0) {
            return;
        }
        lagLookedAt = now;
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            progress.lag(0);
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(5));
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                lag += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
            }
            progress.lag(lag);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debugf("%s: could not look at the lag: %s", progress.name(), e.getMessage());
        }
    }

    private static long oldestTimestamp(ConsumerRecords<String, byte[]> records) {
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> record : records) {
            oldest = Math.min(oldest, record.timestamp());
        }
        return oldest;
    }

    /** Waits, or less when the consumer is stopped meanwhile; false when it is stopping. */
    private boolean pause(Duration duration) {
        try {
            return !stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
