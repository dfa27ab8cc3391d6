package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The UTC month a report covers, as the half-open period [from, to): {@code to} is the first
 * instant of the next month, or now while the month is still running. Half-open so that a month's
 * durations add up exactly (a rule failing all October failed 744 h, not a second less).
 */
public record ReportMonth(YearMonth month, Instant from, Instant to) {

    /** The month as of {@code now}; empty when it has not begun yet. */
    public static Optional<ReportMonth> of(YearMonth month, Instant now) {
        Instant from = startOf(month.atDay(1));
        if (from.isAfter(now)) {
            return Optional.empty();
        }
        Instant end = startOf(month.plusMonths(1).atDay(1));
        return Optional.of(new ReportMonth(month, from, end.isBefore(now) ? end : now.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** "2026-11" as a month; empty when the text is no month. */
    public static Optional<YearMonth> parse(String text) {
        try {
            return Optional.of(YearMonth.parse(text.strip()));
        } catch (DateTimeParseException notAMonth) {
            return Optional.empty();
        }
    }

    /** Every day that began before {@code to}: the whole month, or up to today while it runs. */
    public List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = month.atDay(1); startOf(day).isBefore(to); day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    /** Where the day ends for the report: the next midnight, or {@code to} if that comes first. */
    public Instant endOf(LocalDate day) {
        Instant midnight = startOf(day.plusDays(1));
        return midnight.isBefore(to) ? midnight : to;
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
