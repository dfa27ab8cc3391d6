package io.rampart.controlplane.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Whether one consumer keeps up, as its metrics and its readiness check tell it (tag / check name:
 * the consumer's name). Written by the consumer's thread, read by metric scrapes and health probes.
 * <ul>
 * <li>{@code rampart.consumer.lag}: records on the topic the consumer group has not committed yet (end
 * offsets minus committed offsets, summed over the partitions this replica is assigned; refreshed every few
 * seconds by the consumer's thread; NaN before the first look).</li>
 * <li>{@code rampart.consumer.last.applied.age}: seconds. While records are in hand and not yet applied: now
 * minus the timestamp of the oldest of them (so it grows while the consumer is stuck); else, while the lag is
 * above 0, now minus the timestamp of the last committed record; 0 when caught up.</li>
 * <li>{@code rampart.consumer.restarts}, {@code rampart.consumer.dead.letters}: counters.</li>
 * </ul>
 * Readiness is DOWN when the consumer is stopped or waiting to be restarted, when a poll has kept failing for
 * longer than {@code failingThreshold}, or when the age is above {@code maxRecordAge}. Dead letters are named
 * in the check's data but never make it DOWN: they are data for the operator, and the consumer went on.
 */
public final class ConsumerProgress implements HealthCheck {

    /** Where the consumer's thread is. */
    public enum State {
        STARTING, RUNNING, RESTARTING, STOPPED
    }

    private final String name;
    private final Clock clock;
    private final Duration failingThreshold;
    private final Duration maxRecordAge;
    private final Counter restarts;
    private final Counter deadLettered;
    private final AtomicLong deadLetters = new AtomicLong();

    private volatile State state = State.STARTING;
    private volatile long lag = -1;
    private volatile long oldestInHandMillis = -1;
    private volatile long lastCommittedMillis = -1;
    private volatile Instant failingSince;
    private volatile String lastFailure;
    private volatile String lastDeadLetter;

    public ConsumerProgress(String name, Clock clock, Duration failingThreshold, Duration maxRecordAge, MeterRegistry registry) {
        this.name = name;
        this.clock = clock;
        this.failingThreshold = failingThreshold;
        this.maxRecordAge = maxRecordAge;
        Tags tags = Tags.of("consumer", name);
        this.restarts = Counter.builder("rampart.consumer.restarts").tags(tags)
                .description("Times the consumer was restarted after it stopped on an error").register(registry);
        this.deadLettered = Counter.builder("rampart.consumer.dead.letters").tags(tags)
                .description("Records the consumer could not apply and sent to the dead-letter topic (it went on with the next)")
                .register(registry);
        Gauge.builder("rampart.consumer.lag", this, progress -> progress.lag < 0 ? Double.NaN : progress.lag).tags(tags)
                .description("Records on the topic the consumer group has not committed yet").register(registry);
        Gauge.builder("rampart.consumer.last.applied.age", this, progress -> progress.lastAppliedAge().toMillis() / 1000.0).tags(tags)
                .baseUnit("seconds").description("How far behind the consumer is; 0 when caught up").register(registry);
    }

    public String name() {
        return name;
    }

    public State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    void restarted() {
        restarts.increment();
    }

    /** The records of a poll are in hand: the oldest record timestamp among them, epoch milliseconds. */
    void inHand(long oldestTimestampMillis) {
        oldestInHandMillis = oldestTimestampMillis;
    }

    /** Records up to one with this timestamp are applied and committed (or dead-lettered). */
    void committed(long timestampMillis) {
        lastCommittedMillis = Math.max(lastCommittedMillis, timestampMillis);
    }

    /** Everything in hand is applied. */
    void pollDone() {
        oldestInHandMillis = -1;
        failingSince = null;
        lastFailure = null;
    }

    void failing(String reason) {
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        lastFailure = reason;
    }

    void lag(long records) {
        lag = records;
    }

    void deadLettered(String where, String reason) {
        deadLetters.incrementAndGet();
        deadLettered.increment();
        lastDeadLetter = where + ": " + reason;
    }

    /** Records this consumer sent to the dead letters since the control plane started. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Records the group has not committed yet; -1 before the first look. */
    public long lag() {
        return lag;
    }

    /** Since when a poll keeps failing, or null. */
    public Instant failingSince() {
        return failingSince;
    }

    /** How far behind the consumer is (see the class comment); zero when caught up. */
    public Duration lastAppliedAge() {
        long now = clock.millis();
        long inHand = oldestInHandMillis;
        if (inHand >= 0) {
            return Duration.ofMillis(Math.max(0, now - inHand));
        }
        if (lag > 0 && lastCommittedMillis >= 0) {
            return Duration.ofMillis(Math.max(0, now - lastCommittedMillis));
        }
        return Duration.ZERO;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("consumer " + name);
        Duration age = lastAppliedAge();
        Instant since = failingSince;
        Duration failingFor = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
        boolean up = state == State.RUNNING && failingFor.compareTo(failingThreshold) <= 0 && age.compareTo(maxRecordAge) <= 0;
        response.status(up).withData("state", state.name().toLowerCase()).withData("lag", lag)
                .withData("lastAppliedAgeSeconds", age.toSeconds()).withData("deadLetters", deadLetters.get());
        if (since != null) {
            response.withData("failingForSeconds", failingFor.toSeconds()).withData("lastFailure", String.valueOf(lastFailure));
        }
        if (!up) {
            response.withData("why", why(failingFor, age));
        }
        if (lastDeadLetter != null) {
            response.withData("lastDeadLetter", lastDeadLetter);
        }
        return response.build();
    }

    private String why(Duration failingFor, Duration age) {
        if (state != State.RUNNING) {
            return name + " is " + state.name().toLowerCase();
        }
        if (failingFor.compareTo(failingThreshold) > 0) {
            return name + " has failed to apply its records for " + failingFor.toSeconds() + " s (more than "
                    + failingThreshold.toSeconds() + " s): " + lastFailure;
        }
        return name + " is " + age.toSeconds() + " s behind (more than " + maxRecordAge.toSeconds() + " s)";
    }
}
