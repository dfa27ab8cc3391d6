package io.rampart.agent.nut;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock tests move by hand (never sleeping), in a fixed zone. */
public final class MovingClock extends Clock {

    private final ZoneId zone;
    private volatile Instant now;

    public MovingClock(Instant start, ZoneId zone) {
        this.now = start;
        this.zone = zone;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    public void set(Instant at) {
        now = at;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new MovingClock(now, other);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
