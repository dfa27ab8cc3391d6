package io.rampart.controlplane.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Applies a poll that kept failing as a whole one record at a time, each in a transaction of its own, to find the
 * record(s) that fail on their own. A record is a dead letter only when, after {@code attempts} tries, it still fails
 * while a known-good record applies (the consumer's probe: a trivially good record applied and rolled back), or when
 * it cannot be read at all. When the probe fails too, or the failure is the server's state (Failures), the database
 * or Kafka is the problem, not the record: the search stops there, nothing is dead-lettered, and the consumer retries.
 */
final class RecordByRecord {

    private static final Logger LOG = Logger.getLogger(RecordByRecord.class);

    private final ConsumerProgress progress;
    private final Consumer<ConsumerRecords<String, byte[]>> handler;
    private final Runnable probe;
    private final DeadLetters deadLetters;
    private final int attempts;
    private final Duration pauseBetweenAttempts;
    private final ConsumerSupervisor.Pause pause;

    RecordByRecord(ConsumerProgress progress, Consumer<ConsumerRecords<String, byte[]>> handler, Runnable probe, DeadLetters deadLetters,
            int attempts, Duration pauseBetweenAttempts, ConsumerSupervisor.Pause pause) {
        this.progress = progress;
        this.handler = handler;
        this.probe = probe;
        this.deadLetters = deadLetters;
        this.attempts = attempts;
        this.pauseBetweenAttempts = pauseBetweenAttempts;
        this.pause = pause;
    }

    /**
     * @return true when every record is applied or dead-lettered and committed; false when it stopped at a
     *         record because the failure is not the record's (the position says where to read again)
     */
    boolean apply(ConsumerRecords<String, byte[]> records, PollPosition position, PollRetry retry) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!applyAlone(record, position, retry)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean applyAlone(ConsumerRecord<String, byte[]> record, PollPosition position, PollRetry retry) {
        for (int tries = 1;; tries++) {
            RuntimeException failure = TopicConsumer.tryApply(handler, single(record));
            if (failure == null) {
                position.commitPast(record);
                return true;
            }
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            progress.failing(where + ": " + Failures.summary(failure));
            if (Failures.isServerState(failure)) {
                return false;
            }
            boolean unreadable = Failures.isUnreadable(failure);
            if (!unreadable) {
                RuntimeException probeFailure = probe();
                if (probeFailure != null) {
                    LOG.warnf("%s: record %s fails, but so does a known-good record (%s): the database is the problem, "
                            + "not the record; nothing is dead-lettered, the poll is tried again", progress.name(), where,
                            Failures.reason(probeFailure));
                    return false;
                }
                if (tries < attempts) {
                    if (!pause.pause(pauseBetweenAttempts)) {
                        return false;
                    }
                    continue;
                }
            }
            try {
                deadLetters.send(progress, record, failure, tries, retry.firstFailedAt());
            } catch (EventLogUnavailable e) {
                progress.failing("the dead-letter topic did not take " + where + ": " + e.getMessage());
                return false;
            }
            position.commitPast(record);
            return true;
        }
    }

    private RuntimeException probe() {
        try {
            probe.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static ConsumerRecords<String, byte[]> single(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        return new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
    }
}
