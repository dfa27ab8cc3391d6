package io.rampart.agent.collectors;

import java.time.Duration;
import java.time.Instant;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * Backups dated after "now" are a clock problem on the host that wrote them (a NAS whose clock runs a
 * year ahead, a {@code restic backup --time} typo, a file touched to next year), never a fresh backup.
 * A few minutes' difference between two honest clocks is tolerated.
 */
public final class FutureDates {

    /** How far ahead of the agent's clock a backup may be dated before it counts as a clock problem. */
    public static final Duration TOLERANCE = Duration.ofMinutes(10);

    private FutureDates() {
    }

    /** Whether {@code datedAt} lies more than {@link #TOLERANCE} after {@code now}. */
    public static boolean isFuture(Instant datedAt, Instant now) {
        return datedAt.isAfter(now.plus(TOLERANCE));
    }

    /** The event's record of one such backup. */
    public static FutureDatedItem item(String name, Instant datedAt, Instant now) {
        return FutureDatedItem.newBuilder().setName(name).setDatedAt(ProtoTime.timestamp(datedAt)).setSeenAt(ProtoTime.timestamp(now)).build();
    }

    /** "clock problem: s.img is dated 2027-11-30, 365 days ahead of this computer's clock". */
    public static String describe(String what, Instant datedAt, Instant now) {
        return "clock problem on the backup host: " + what + " is dated " + datedAt + ", " + HumanDuration.of(Duration.between(now, datedAt))
                + " ahead of this computer's clock (not counted as fresh)";
    }
}
