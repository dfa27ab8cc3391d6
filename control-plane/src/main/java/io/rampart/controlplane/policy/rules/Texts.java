package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.google.protobuf.Timestamp;

/** Durations and dates the way a group manager reads them, and proto time conversions. */
final class Texts {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Texts() {
    }

    /** "45 s", "12 min", "31 h", "26 h 30 min", then whole days from 3 days on: "12 days". */
    static String span(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 72) {
            return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return hours / 24 + " days";
    }

    /** "0 bytes", "1 byte", "812 bytes", then binary units with one decimal: "4.0 KB", "1.2 MB" (as the agent says sizes). */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = { "KB", "MB", "GB", "TB", "PB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /** "3 Nov" in the current year, "3 Nov 2025" otherwise. */
    static String shortDate(Instant instant, Instant now) {
        boolean sameYear = instant.atZone(ZoneOffset.UTC).getYear() == now.atZone(ZoneOffset.UTC).getYear();
        return sameYear ? DAY_MONTH.format(instant) : DATE.format(instant);
    }

    /** "29 Nov 06:10" (UTC). */
    static String dayAndTime(Instant instant) {
        return DAY_TIME.format(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
