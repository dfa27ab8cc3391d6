package io.rampart.agent.collectors;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import io.rampart.agent.config.BackupWindow;

/**
 * When work that locks a repository may run: never inside the practice's backup window, and only when its time
 * limit ends before the window opens, so that a lock Rampart holds can never be in the way of the practice's own
 * backup (restic check takes restic's exclusive lock, which makes {@code restic backup} fail; borg check takes borg's
 * exclusive lock, which makes {@code borg create} fail after its one-second lock wait; restic restore and borg
 * extract take a shared lock, which makes {@code restic prune}/{@code forget} and {@code borg create} fail).
 */
public final class RepositoryCheckSchedule {

    /** Far enough ahead to find the next gap of any daily window. */
    private static final Duration LOOK_AHEAD = Duration.ofDays(2);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private RepositoryCheckSchedule() {
    }

    /**
     * Whether locking work may start now.
     *
     * @param runsAt  when it will be allowed (empty when now, or when it never fits)
     * @param because why not now, in words; empty when it may run now
     */
    public record Decision(boolean now, boolean neverFits, Optional<ZonedDateTime> runsAt, String because) {

        static Decision runNow() {
            return new Decision(true, false, Optional.empty(), "");
        }

        /** "after 06:30" today, or "after 06:30 on 2026-12-01" on another day than {@code today}. */
        public String when(ZonedDateTime today) {
            return runsAt.map(at -> "after " + at.format(TIME)
                    + (at.toLocalDate().equals(today.toLocalDate()) ? "" : " on " + at.toLocalDate())).orElse("never");
        }
    }

    /**
     * Decides for work that may take up to {@code timeLimit}, starting at {@code now} (local time of the practice's
     * server).
     */
    public static Decision decide(BackupWindow window, ZonedDateTime now, Duration timeLimit) {
        if (window.isNone() || window.fitsBefore(now, timeLimit)) {
            return Decision.runNow();
        }
        String because = window.contains(now) ? "the backup window " + window + " is open"
                : "a check of up to " + HumanDuration.of(timeLimit) + " would not end before the backup window " + window + " opens";
        ZonedDateTime t = now.plusMinutes(1).withSecond(0).withNano(0);
        ZonedDateTime end = now.plus(LOOK_AHEAD);
        while (t.isBefore(end)) {
            if (window.contains(t)) {
                Optional<Duration> closes = window.untilClosed(t);
                if (closes.isEmpty()) {
                    break;
                }
                t = t.plus(closes.get());
                continue;
            }
            if (window.fitsBefore(t, timeLimit)) {
                return new Decision(false, false, Optional.of(t), because);
            }
            t = t.plusMinutes(1);
        }
        return new Decision(false, true, Optional.empty(), "a check of up to " + HumanDuration.of(timeLimit)
                + " never ends before the backup window " + window + " opens again");
    }
}
