package io.rampart.controlplane.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A point in time as people type it into a form: an ISO-8601 instant ("2027-01-31T17:00:00Z") or
 * just a date ("2027-01-31"), which then means the given time of that day in UTC. Whole seconds:
 * what a person means, and what the database keeps exactly.
 */
public final class DateInput {

    private DateInput() {
    }

    /** Empty when the text is neither an instant nor a date. */
    public static Optional<Instant> parse(String text, LocalTime timeForDate) {
        String value = text.strip();
        try {
            return Optional.of(Instant.parse(value).truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(LocalDate.parse(value).atTime(timeForDate).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
