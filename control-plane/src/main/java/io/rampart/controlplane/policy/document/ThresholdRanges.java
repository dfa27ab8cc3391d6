package io.rampart.controlplane.policy.document;

import java.time.Duration;
import java.util.Map;

/**
 * The valid range of each threshold a policy document holds, where it is narrower than its kind's (a limit of
 * 1 min..10 years, a grace of 0..10 years, a retention of up to 100 years, a count of at least 1). Upper bounds
 * catch typos that would make every practice fail for ever (a UPS that must run 10 years on battery) and keep
 * the rules' sums far from overflow; lower bounds keep a rule meaningful.
 */
final class ThresholdRanges {

    /** The longest value of a duration, by field name, with how a person reads it. */
    record Longest(Duration value, String words) {
    }

    static final Map<String, Longest> LONGEST_BY_FIELD = Map.of(
            // no UPS runs servers on battery for a day; a longer shutdown time fails every UPS
            "shutdownTime", new Longest(Duration.ofHours(24), "24 hours (PT24H)"),
            // a downtime objective beyond a month is no objective
            "maxRestoreTime", new Longest(Duration.ofDays(30), "30 days (P30D)"),
            // an agent silent for a month is not being monitored at all
            "maxSilence", new Longest(Duration.ofDays(30), "30 days (P30D)"),
            // a replication lag objective beyond a month is no secondary
            "maxLag", new Longest(Duration.ofDays(30), "30 days (P30D)"));

    /** A count's range, inclusive, with why its lower bound. */
    record Count(int least, int most, String leastWords) {
    }

    static final Map<String, Count> COUNTS = Map.of(
            "minDrives", new Count(2, 52, "at least 2 drives must be in rotation (one attached, one kept offsite)"),
            "minItContacts", new Count(1, 50, "must be more than zero"),
            "minPracticeManagers", new Count(1, 50, "must be more than zero"));

    private ThresholdRanges() {
    }
}
