package io.rampart.controlplane.events;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.health.Readiness;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.health.api.HealthRegistry;

import io.rampart.controlplane.RampartConfig;

/**
 * Starts the control plane's topic consumers, all with the same retries, dead letters, supervisor,
 * metrics and a readiness check each (named {@code consumer <name>}); see TopicConsumer.
 */
@ApplicationScoped
public class TopicConsumers {

    @Inject
    KafkaClients clients;
    @Inject
    RampartConfig config;
    @Inject
    DeadLetters deadLetters;
    @Inject
    MeterRegistry registry;
    @Inject
    Clock clock;
    @Inject
    @Readiness
    HealthRegistry readiness;

    /** One per consumer name for the life of the control plane, so counters and the check outlive a stop and start. */
    private final Map<String, ConsumerProgress> progress = new ConcurrentHashMap<>();

    /**
     * Starts consuming {@code topic} as {@code group}, from the earliest record a new group has not seen.
     *
     * @param name the consumer's name in logs, metrics (tag consumer), readiness and dead-letter headers, e.g. fleet-projection
     * @param handler applies the records it is given (a whole poll, or one record) in one transaction of its own, or throws
     *            (UnreadableRecord for bytes it cannot parse)
     * @param probe applies a trivially good record in a transaction that is rolled back (StoreProbe), throwing when it cannot: how a
     *            record's own fault is told from the database's (a record is never dead-lettered while the probe fails)
     */
    public TopicConsumer start(String name, String group, String topic, int maxPollRecords, Consumer<ConsumerRecords<String, byte[]>> handler,
            Runnable probe) {
        RampartConfig.Consumers settings = config.consumers();
        ConsumerProgress tracked = progress.computeIfAbsent(name, key -> {
            ConsumerProgress created = new ConsumerProgress(key, clock, settings.failingThreshold(), settings.maxRecordAge(), registry);
            readiness.register("consumer " + key, created);
            return created;
        });
        tracked.pollDone();
        TopicConsumer consumer = new TopicConsumer(tracked, clients.common("rampart-" + name), group, topic, maxPollRecords, handler, probe,
                deadLetters, settings, clock);
        consumer.start();
        return consumer;
    }

    /** Every consumer started so far, running or not. */
    public List<ConsumerProgress> all() {
        return List.copyOf(progress.values());
    }
}
