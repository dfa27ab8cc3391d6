package io.rampart.agent.collectors;

import java.time.Duration;

/** The wording of ages, limits and sizes in summaries, for collectors outside this package. */
public final class HumanText {

    private HumanText() {
    }

    /** "45 min", "31 h", "4 days 2 h". */
    public static String duration(Duration d) {
        return HumanDuration.of(d);
    }

    /** "512 bytes", "4.0 KB", "1.2 GB". */
    public static String bytes(long bytes) {
        return HumanDuration.ofBytes(bytes);
    }
}
