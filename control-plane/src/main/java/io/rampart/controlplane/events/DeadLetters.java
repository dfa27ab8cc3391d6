package io.rampart.controlplane.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.operations.OperatorAlerts;

/**
 * Sends a record a consumer could not apply to the dead-letter topic ({@code rampart.kafka.dead-letters-topic},
 * default {@code rampart.dead-letters}): the record's own key, value and headers, plus headers saying where it
 * came from and why it failed (the names below, values UTF-8 text). Counted in {@code rampart.consumer.dead.letters},
 * logged with where it now is, and the operator is alerted at most once per consumer per
 * {@code rampart.operator.alert-every} (default 1 h) with the count and the first reason since the last alert.
 * ReplayDeadLetters puts them back on their topic after a fix.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String SOURCE_TOPIC = "rampart.dead-letter.source-topic";
    public static final String SOURCE_PARTITION = "rampart.dead-letter.source-partition";
    public static final String SOURCE_OFFSET = "rampart.dead-letter.source-offset";
    public static final String SOURCE_TIMESTAMP = "rampart.dead-letter.source-timestamp";
    public static final String CONSUMER = "rampart.dead-letter.consumer";
    public static final String EXCEPTION_CLASS = "rampart.dead-letter.exception-class";
    public static final String REASON = "rampart.dead-letter.reason";
    public static final String ATTEMPTS = "rampart.dead-letter.attempts";
    public static final String FIRST_FAILED_AT = "rampart.dead-letter.first-failed-at";
    public static final String DEAD_LETTERED_AT = "rampart.dead-letter.dead-lettered-at";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    ReliableProducer producer;
    @Inject
    RampartConfig config;
    @Inject
    OperatorAlerts operator;
    @Inject
    Clock clock;

    /** Per consumer: dead letters not yet told to the operator, and when they were last told. */
    private final Map<String, Unreported> unreported = new ConcurrentHashMap<>();

    private static final class Unreported {
        int count;
        String firstReason;
        Instant lastAlertAt;
    }

    /**
     * Puts the record on the dead-letter topic and returns once Kafka has it replicated; only then may the
     * consumer commit past it.
     *
     * @param attempts how many times it was tried on its own
     * @param firstFailedAt when it (or the poll it came in) first failed
     * @throws EventLogUnavailable when Kafka did not take it: the consumer must not move past the record
     */
    public RecordMetadata send(ConsumerProgress progress, ConsumerRecord<String, byte[]> record, Throwable failure, int attempts,
            Instant firstFailedAt) throws EventLogUnavailable {
        String reason = Failures.reason(failure);
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("rampart.dead-letter.")) {
                headers.add(header);
            }
        }
        text(headers, SOURCE_TOPIC, record.topic());
        text(headers, SOURCE_PARTITION, String.valueOf(record.partition()));
        text(headers, SOURCE_OFFSET, String.valueOf(record.offset()));
        text(headers, SOURCE_TIMESTAMP, String.valueOf(record.timestamp()));
        text(headers, CONSUMER, progress.name());
        text(headers, EXCEPTION_CLASS, Failures.cause(failure).getClass().getName());
        text(headers, REASON, reason);
        text(headers, ATTEMPTS, String.valueOf(attempts));
        text(headers, FIRST_FAILED_AT, firstFailedAt.toString());
        text(headers, DEAD_LETTERED_AT, clock.instant().toString());
        String topic = config.kafka().deadLettersTopic();
        RecordMetadata written = producer.writeRecord(new ProducerRecord<>(topic, null, record.key(), record.value(), headers));
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        progress.deadLettered(source, Failures.summary(failure));
        LOG.errorf("%s: record %s (key %s) could not be applied after %d attempts and is now dead letter %s-%d@%d: %s. "
                + "Fix the cause, then replay it: ReplayDeadLetters --consumer %s (README, Operations)", progress.name(), source,
                record.key(), attempts, written.topic(), written.partition(), written.offset(), reason, progress.name());
        Unreported pending = unreported.computeIfAbsent(progress.name(), name -> new Unreported());
        synchronized (pending) {
            pending.count++;
            if (pending.firstReason == null) {
                pending.firstReason = source + ": " + reason;
            }
        }
        alertIfDue(progress.name());
        return written;
    }

    /** Raises the operator alert for the consumer's dead letters if there are some and the last alert is old enough. */
    public void alertIfDue(String consumer) {
        Unreported pending = unreported.get(consumer);
        if (pending == null) {
            return;
        }
        int count;
        String firstReason;
        synchronized (pending) {
            Instant now = clock.instant();
            Duration every = config.operator().alertEvery();
            if (pending.count == 0 || pending.lastAlertAt != null && pending.lastAlertAt.plus(every).isAfter(now)) {
                return;
            }
            count = pending.count;
            firstReason = pending.firstReason;
            pending.count = 0;
            pending.firstReason = null;
            pending.lastAlertAt = now;
        }
        String topic = config.kafka().deadLettersTopic();
        operator.raise(consumer + ": " + count + (count == 1 ? " record" : " records") + " dead-lettered",
                count + (count == 1 ? " record" : " records") + " could not be applied by the consumer " + consumer
                        + " and went to the Kafka topic " + topic + " (the consumer went on with the others).\n"
                        + "First reason: " + firstReason + "\n"
                        + "See the metric rampart.consumer.dead.letters{consumer=\"" + consumer + "\"} and /q/health/ready. "
                        + "Once the cause is fixed, replay them with: ReplayDeadLetters --consumer " + consumer
                        + " (README, section Operations). At most one such email per consumer every " + config.operator().alertEvery().toMinutes() + " min.");
    }

    private static void text(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
