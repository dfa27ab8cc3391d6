package io.rampart.controlplane.alerts.settings;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Local hours in which emails about non-critical rules wait (a USB drive not swapped can wait
 * for the morning; a failed database copy cannot). {@code from} after {@code to} spans midnight.
 */
public record QuietHours(LocalTime from, LocalTime to) {

    public QuietHours {
        if (from.equals(to)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    /** {@code now} if it is outside the quiet hours, else the instant they end. */
    public Instant releaseAt(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean spansMidnight = from.isAfter(to);
        boolean quiet = spansMidnight ? !time.isBefore(from) || time.isBefore(to) : !time.isBefore(from) && time.isBefore(to);
        if (!quiet) {
            return now;
        }
        ZonedDateTime end = local.with(to);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        // a daylight saving change can make "to" on that day ambiguous or missing: with() resolves it
        return end.toInstant();
    }
}
