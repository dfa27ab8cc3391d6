package io.rampart.agent.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next delivery attempt: doubling from the first delay up to the cap,
 * with jitter so a fleet coming back after an outage does not knock on the door in step.
 */
public final class Backoff {

    public static final Duration FIRST = Duration.ofSeconds(1);
    public static final Duration CAP = Duration.ofSeconds(60);

    private final Duration first;
    private final Duration cap;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration first, Duration cap, RandomGenerator random) {
        this.first = first;
        this.cap = cap;
        this.random = random;
    }

    public static Backoff standard() {
        return new Backoff(FIRST, CAP, RandomGenerator.getDefault());
    }

    /** The wait after one more failure: half the doubled delay plus a random part of the other half. */
    public synchronized Duration next() {
        long base = Math.min(cap.toMillis(), first.toMillis() << Math.min(failures, 30));
        failures++;
        long half = base / 2;
        return Duration.ofMillis(half + (base - half == 0 ? 0 : random.nextLong(base - half + 1)));
    }

    /** The wait when retrying sooner will not help (e.g. the credential was refused). */
    public Duration cap() {
        return cap;
    }

    public synchronized void reset() {
        failures = 0;
    }
}
