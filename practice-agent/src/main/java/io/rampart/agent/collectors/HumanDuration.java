package io.rampart.agent.collectors;

import java.time.Duration;

/** Ages and limits as a person says them in a summary: "45 min", "31 h", "4 days 2 h". */
final class HumanDuration {

    private HumanDuration() {
    }

    static String of(Duration d) {
        if (d.isNegative()) {
            return "in the future by " + of(d.negated());
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            return d.toSeconds() + " s";
        }
        if (d.compareTo(Duration.ofHours(1)) < 0) {
            return d.toMinutes() + " min";
        }
        if (d.compareTo(Duration.ofHours(72)) < 0) {
            long minutes = d.toMinutesPart();
            return d.toHours() + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        long hours = d.toHoursPart();
        return d.toDays() + " days" + (hours > 0 ? " " + hours + " h" : "");
    }

    static String ofBytes(long bytes) {
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
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
