package io.rampart.controlplane.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The control plane's clock in tests whose outcome depends on the time of day: set to an instant, then
 * ticking from there. Enabled by a test profile ({@code getEnabledAlternatives}), never by default.
 */
@Alternative
@ApplicationScoped
public class MovableClock extends Clock {

    private volatile Instant setAt = Instant.now();
    private volatile long setAtNanos = System.nanoTime();

    /** From now on the clock reads {@code instant}, then runs on. */
    public void set(Instant instant) {
        setAtNanos = System.nanoTime();
        setAt = instant;
    }

    @Override
    public Instant instant() {
        return setAt.plusNanos(System.nanoTime() - setAtNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
