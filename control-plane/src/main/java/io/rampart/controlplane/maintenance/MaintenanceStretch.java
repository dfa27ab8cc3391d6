package io.rampart.controlplane.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How long a practice would be in maintenance without a break: a window together with the windows that overlap or touch
 * it, and those that overlap or touch them, and so on. Two windows of 10 days back to back are 20 days in which nothing
 * about the practice is emailed, so the 14-day limit ({@link MaintenanceWindows#LONGEST}) is on this stretch, not on one
 * window. A gap shorter than {@link #NO_BREAK} between two windows does not count as a break: nobody acts on an email
 * in it, and PostgreSQL keeps instants to the microsecond, so two windows given back to back to the nanosecond may be
 * read back a fraction of a microsecond apart.
 *
 * @param from when the stretch begins (the earliest start of the windows it joins)
 * @param to   when it ends (the latest end)
 */
record MaintenanceStretch(Instant from, Instant to) {

    /** Windows closer than this join into one stretch. */
    static final Duration NO_BREAK = Duration.ofHours(1);

    /** The stretch {@code window} makes with {@code others} (each a [from, to) span); {@code window} alone if none meet it (within {@link #NO_BREAK}). */
    static MaintenanceStretch of(MaintenanceStretch window, List<MaintenanceStretch> others) {
        Instant from = window.from;
        Instant to = window.to;
        boolean grew = true;
        while (grew) {  // a window met only through another one still joins: repeat until nothing more meets the stretch
            grew = false;
            for (MaintenanceStretch other : others) {
                if (other.to.plus(NO_BREAK).isBefore(from) || other.from.minus(NO_BREAK).isAfter(to)) {
                    continue;
                }
                if (other.from.isBefore(from)) {
                    from = other.from;
                    grew = true;
                }
                if (other.to.isAfter(to)) {
                    to = other.to;
                    grew = true;
                }
            }
        }
        return new MaintenanceStretch(from, to);
    }

    Duration length() {
        return Duration.between(from, to);
    }
}
