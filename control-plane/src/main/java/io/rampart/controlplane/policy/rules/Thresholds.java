package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Period;

/**
 * The settings of each rule, with the reference policy's defaults (DESIGN.md, "The reference policy").
 *
 * <p>Two kinds of grace, chosen here and used by every rule:
 * <ul>
 * <li>{@code grace}: how far past a time limit a rule is AT_RISK before it FAILs. Default:
 * {@link #defaultGrace(Duration) 10 % of the limit, at most 2 h} (26 h → 2 h, 24 h → 2 h,
 * 15 min → 1 min 30 s, 10 min → 1 min, 7 days → 2 h, 90 days → 2 h).</li>
 * <li>{@code noDataGrace}: how long after onboarding a rule without any evidence stays UNKNOWN
 * before it FAILs. Default: the rule's main limit plus its grace (when a practice with evidence
 * from the day of onboarding would be failing too), or a fixed time where the evidence is
 * entered by people (plan review 30 days, contacts 1 day) or the limit is long (archive, UPS: 7 days).</li>
 * </ul>
 * Limits that are not a matter of time passing (restore time objective, UPS runtime, number of
 * USB drives) have no grace: past them the rule fails.
 */
public final class Thresholds {

    public static final Duration MAX_GRACE = Duration.ofHours(2);

    private Thresholds() {
    }

    /** 10 % of the limit, at most {@link #MAX_GRACE}. */
    public static Duration defaultGrace(Duration limit) {
        Duration tenth = limit.dividedBy(10);
        return tenth.compareTo(MAX_GRACE) < 0 ? tenth : MAX_GRACE;
    }

    private static Duration plusGrace(Duration limit) {
        return limit.plus(defaultGrace(limit));
    }

    /** db-sync: replication lag and the daily verification query on the secondary. */
    public record DbSync(Duration maxLag, Duration lagGrace, Duration verifyEvery, Duration verifyGrace, Duration noDataGrace) {
        public static final DbSync DEFAULT = new DbSync(Duration.ofMinutes(15), defaultGrace(Duration.ofMinutes(15)),
                Duration.ofHours(24), defaultGrace(Duration.ofHours(24)), plusGrace(Duration.ofHours(24)));
    }

    /** cloud-copy, nas-copy, system-image: the newest copy is at most {@code maxAge} old. */
    public record Freshness(Duration maxAge, Duration grace, Duration noDataGrace) {
        public static final Freshness DEFAULT = new Freshness(Duration.ofHours(26), defaultGrace(Duration.ofHours(26)),
                plusGrace(Duration.ofHours(26)));
    }

    /** usb-rotation: a fresh copy on the attached drive, enough drives, the attached drive changed often enough. */
    public record UsbRotation(Duration maxCopyAge, Duration copyGrace, int minDrives, Duration rotateEvery, Duration rotateGrace,
            Duration noDataGrace) {
        public static final UsbRotation DEFAULT = new UsbRotation(Duration.ofHours(26), defaultGrace(Duration.ofHours(26)), 2,
                Duration.ofDays(7), defaultGrace(Duration.ofDays(7)), plusGrace(Duration.ofDays(7)));
    }

    /**
     * archive-retention: restore points reach back {@code retention} (or to onboarding when the
     * practice is younger), the newest is at most {@code maxInterval} old, and there are at least
     * as many as {@code maxInterval}s spanned.
     */
    public record ArchiveRetention(Period retention, Duration maxInterval, Duration grace, Duration noDataGrace) {
        public static final ArchiveRetention DEFAULT = new ArchiveRetention(Period.ofYears(3), Duration.ofDays(31),
                defaultGrace(Duration.ofDays(31)), Duration.ofDays(7));
    }

    /** restore-test: a verified test restore within {@code maxAge}, taking at most {@code maxRestoreTime}. */
    public record RestoreTest(Duration maxAge, Duration grace, Duration maxRestoreTime, Duration noDataGrace) {
        public static final RestoreTest DEFAULT = new RestoreTest(Duration.ofDays(7), defaultGrace(Duration.ofDays(7)),
                Duration.ofMinutes(15), plusGrace(Duration.ofDays(7)));
    }

    /** ups: online, self-test passed within {@code selfTestEvery}, runtime at least {@code shutdownTime}. */
    public record Ups(Duration selfTestEvery, Duration selfTestGrace, Duration shutdownTime, Duration noDataGrace) {
        public static final Ups DEFAULT = new Ups(Duration.ofDays(90), defaultGrace(Duration.ofDays(90)), Duration.ofMinutes(10),
                Duration.ofDays(7));
    }

    /** plan-review: reviewed by a person within {@code reviewEvery} (12 months, counted as 365 days). */
    public record PlanReviewEvery(Duration reviewEvery, Duration grace, Duration noDataGrace) {
        public static final PlanReviewEvery DEFAULT = new PlanReviewEvery(Duration.ofDays(365), defaultGrace(Duration.ofDays(365)),
                Duration.ofDays(30));
    }

    /** contacts: failure emails reach enough IT contacts and practice managers; {@code grace} is counted from onboarding. */
    public record ContactsRequired(int minItContacts, int minPracticeManagers, Duration grace, Duration noDataGrace) {
        public static final ContactsRequired DEFAULT = new ContactsRequired(1, 1, Duration.ofDays(1), Duration.ofDays(1));
    }

    /** agent-heartbeat: the agent called in within {@code maxSilence}. */
    public record Heartbeat(Duration maxSilence, Duration grace, Duration noDataGrace) {
        public static final Heartbeat DEFAULT = new Heartbeat(Duration.ofMinutes(10), defaultGrace(Duration.ofMinutes(10)),
                Duration.ofHours(1));
    }
}
