package io.rampart.agent.collectors.ups;

import java.util.Locale;

/** A percentage as summaries show it: "100%", "76.5%". */
final class Percent {

    private Percent() {
    }

    static String of(double value) {
        return (value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }
}
