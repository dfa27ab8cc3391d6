package io.rampart.agent.collectors.ups;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When the practice lets Rampart start a UPS self-test, in the server's local time: {@code check.<id>.self-test-window}
 * in checks.properties, e.g. {@code Tue 10:00-11:00}, {@code Mon-Fri 12:30-13:00}, {@code Tue,Thu 10:00-10:30}, or
 * {@code 10:00-11:00} (every day); several separated by ";". A quick test moves the servers onto the battery for
 * seconds to a minute, so a practice picks an hour when a failing battery would hurt least; the practice's backup
 * window is always kept out.
 */
public final class SelfTestWindow {

    private record Span(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        boolean contains(ZonedDateTime at) {
            LocalTime time = at.toLocalTime();
            if (start.isBefore(end)) {
                return days.contains(at.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
            }
            // crosses midnight: the part after midnight belongs to the day before
            return days.contains(at.getDayOfWeek()) && !time.isBefore(start)
                    || days.contains(at.getDayOfWeek().minus(1)) && time.isBefore(end);
        }
    }

    private final List<Span> spans;
    private final String text;

    private SelfTestWindow(List<Span> spans, String text) {
        this.spans = List.copyOf(spans);
        this.text = text;
    }

    /**
     * Reads "[days] HH:mm-HH:mm[; ...]", days as Mon..Sun, lists ("Tue,Thu") and ranges ("Mon-Fri").
     *
     * @throws IllegalArgumentException with a message a person can act on
     */
    public static SelfTestWindow parse(String text) {
        List<Span> spans = new ArrayList<>();
        for (String part : text.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] words = p.split("\\s+");
            if (words.length > 2) {
                throw invalid(p);
            }
            Set<DayOfWeek> days = words.length == 2 ? days(words[0], p) : EnumSet.allOf(DayOfWeek.class);
            String[] ends = words[words.length - 1].split("-");
            if (ends.length != 2) {
                throw invalid(p);
            }
            try {
                LocalTime start = LocalTime.parse(ends[0]);
                LocalTime end = LocalTime.parse(ends[1]);
                if (start.equals(end)) {
                    throw invalid(p);
                }
                spans.add(new Span(days, start, end));
            } catch (DateTimeParseException e) {
                throw invalid(p);
            }
        }
        if (spans.isEmpty()) {
            throw invalid(text);
        }
        return new SelfTestWindow(spans, text.strip());
    }

    /** Whether a self-test may start at this local time (the backup window is checked separately). */
    public boolean contains(ZonedDateTime at) {
        return spans.stream().anyMatch(span -> span.contains(at));
    }

    private static Set<DayOfWeek> days(String list, String part) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : list.split(",")) {
            String[] range = item.split("-");
            if (range.length == 1) {
                days.add(day(range[0], part));
            } else if (range.length == 2) {
                DayOfWeek from = day(range[0], part);
                DayOfWeek to = day(range[1], part);
                for (DayOfWeek d = from;; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            } else {
                throw invalid(part);
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String part) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (n.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(n)) {
                return d;
            }
        }
        throw invalid(part);
    }

    private static IllegalArgumentException invalid(String part) {
        return new IllegalArgumentException("'" + part + "' is not a self-test window like 'Tue 10:00-11:00', 'Mon-Fri 12:30-13:00' "
                + "or '10:00-11:00' (every day)");
    }

    @Override
    public String toString() {
        return text;
    }
}
