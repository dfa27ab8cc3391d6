package io.rampart.controlplane.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A point in time as people type it into a form: an ISO-8601 instant ("2027-01-31T17:00:00Z") or
 * just a date ("2027-01-31"), which means that day where the group is (its time zone), never in UTC:
 * a Melbourne practice's "today" starts 11 hours before London's. Whole seconds: what a person means,
 * and what the database keeps exactly.
 */
public final class DateInput {

    /** The zone furthest ahead (Kiribati's Line Islands): a date later than today there is tomorrow for everyone. */
    private static final ZoneOffset FURTHEST_AHEAD = ZoneOffset.ofHours(14);

    private DateInput() {
    }

    /** Empty when the text is neither an instant nor a date; a date is the given local time of that day in {@code zone}. */
    public static Optional<Instant> parse(String text, LocalTime timeForDate, ZoneId zone) {
        String value = text.strip();
        try {
            return Optional.of(Instant.parse(value).truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException notAnInstant) {
            return date(value).map(day -> day.atTime(timeForDate).atZone(zone).toInstant().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /**
     * When something already happened ("reviewed on 2026-11-30"): a date that is today in the group's
     * zone, or today anywhere on Earth (the person may be ahead of the group's zone), means {@code now}; an
     * earlier date means noon of that day in the group's zone; a later one comes back as the start of that
     * day there, after {@code now}, for the caller to refuse as future. Empty when the text is neither an
     * instant nor a date.
     */
    public static Optional<Instant> happenedAt(String text, ZoneId zone, Instant now) {
        Optional<LocalDate> day = date(text.strip());
        if (day.isEmpty()) {
            return parse(text, LocalTime.NOON, zone);
        }
        LocalDate todayThere = LocalDate.ofInstant(now, zone);
        if (day.get().isAfter(LocalDate.ofInstant(now, FURTHEST_AHEAD))) {
            return Optional.of(day.get().atStartOfDay(zone).toInstant());
        }
        if (!day.get().isBefore(todayThere)) {
            return Optional.of(now);
        }
        return Optional.of(day.get().atTime(LocalTime.NOON).atZone(zone).toInstant());
    }

    private static Optional<LocalDate> date(String value) {
        try {
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
