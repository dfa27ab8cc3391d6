package io.rampart.agent.config;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When the practice's own backups run, as local times of day on the practice's server (e.g.
 * {@code 21:00-06:30}, several separated by commas; a span that ends before it starts crosses midnight).
 * Rampart keeps work that locks a repository or loads the UPS out of it, so that it never makes the
 * practice's backup fail. Set in checks.properties as {@code backup-window=21:00-06:30}.
 */
public final class BackupWindow {

    /** No window: nothing is kept out of any hour. */
    public static final BackupWindow NONE = new BackupWindow(List.of(), "");

    /** One daily span; {@code end} before {@code start} means it crosses midnight. */
    record Span(LocalTime start, LocalTime end) {

        boolean contains(LocalTime time) {
            if (start.equals(end)) {
                return true;
            }
            return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end) : !time.isBefore(start) || time.isBefore(end);
        }
    }

    private final List<Span> spans;
    private final String text;

    private BackupWindow(List<Span> spans, String text) {
        this.spans = List.copyOf(spans);
        this.text = text;
    }

    /**
     * Reads "HH:mm-HH:mm[,HH:mm-HH:mm...]".
     *
     * @throws IllegalArgumentException with a message a person can act on when the text is not such a list
     */
    public static BackupWindow parse(String text) {
        List<Span> spans = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] ends = part.strip().split("\\s*-\\s*");
            if (ends.length != 2) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a span of local times like 21:00-06:30");
            }
            try {
                spans.add(new Span(LocalTime.parse(ends[0].strip()), LocalTime.parse(ends[1].strip())));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a span of local times like 21:00-06:30");
            }
        }
        return new BackupWindow(spans, text.strip());
    }

    public boolean isNone() {
        return spans.isEmpty();
    }

    /** Whether the practice's backups may be running at this local time. */
    public boolean contains(ZonedDateTime at) {
        LocalTime time = at.toLocalTime();
        return spans.stream().anyMatch(span -> span.contains(time));
    }

    /**
     * How long from {@code at} until the window has closed (zero when it is not open), to the minute.
     * Empty when the window never closes (a span of 24 hours).
     */
    public Optional<Duration> untilClosed(ZonedDateTime at) {
        ZonedDateTime t = at;
        // a day of minutes is enough: the spans repeat daily
        for (int minute = 0; minute <= 24 * 60; minute++) {
            if (!contains(t)) {
                return Optional.of(Duration.between(at, t));
            }
            t = t.plusMinutes(1).withSecond(0).withNano(0);
        }
        return Optional.empty();
    }

    /** Whether a piece of work that may take {@code length} and starts at {@code at} stays out of the window. */
    public boolean fitsBefore(ZonedDateTime at, Duration length) {
        if (contains(at)) {
            return false;
        }
        ZonedDateTime end = at.plus(length);
        for (ZonedDateTime t = at; !t.isAfter(end); t = t.plusMinutes(1)) {
            if (contains(t)) {
                return false;
            }
        }
        return !contains(end);
    }

    @Override
    public String toString() {
        return text;
    }
}
