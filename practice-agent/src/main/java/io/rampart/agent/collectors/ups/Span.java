package io.rampart.agent.collectors.ups;

import java.time.Duration;

/**
 * A span of time in the words the control plane's rules use (policy/rules/Texts.span): "45 s", "12 min", "31 h",
 * "26 h 30 min", then whole days from 3 days on, so that the agent's UPS summary and the ups rule's reason read alike.
 */
final class Span {

    private Span() {
    }

    static String of(Duration duration) {
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
}
