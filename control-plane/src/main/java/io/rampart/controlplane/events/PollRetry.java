package io.rampart.controlplane.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The retries of one failing poll: how many times it failed, since when, and the next pause
 * (the first pause doubled after each failure, up to the maximum). Reset when the poll is applied.
 */
final class PollRetry {

    private final Duration firstPause;
    private final Duration maxPause;
    private final int attemptsBeforeRecordByRecord;
    private final Clock clock;

    private int failures;
    private Instant firstFailedAt;

    PollRetry(Duration firstPause, Duration maxPause, int attemptsBeforeRecordByRecord, Clock clock) {
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        this.attemptsBeforeRecordByRecord = attemptsBeforeRecordByRecord;
        this.clock = clock;
    }

    /** @return how many times in a row the poll has failed now */
    int failed() {
        if (failures++ == 0) {
            firstFailedAt = clock.instant();
        }
        return failures;
    }

    /** The poll failed as often as it may as a whole: its records are now tried one by one. */
    boolean exhausted() {
        return failures >= attemptsBeforeRecordByRecord;
    }

    /** The pause before the next try: first pause x 2^(failures - 1), at most the maximum. */
    Duration nextPause() {
        Duration pause = firstPause;
        for (int i = 1; i < failures && pause.compareTo(maxPause) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxPause) > 0 ? maxPause : pause;
    }

    /** When the poll first failed; now when it has not. */
    Instant firstFailedAt() {
        return firstFailedAt == null ? clock.instant() : firstFailedAt;
    }

    void succeeded() {
        failures = 0;
        firstFailedAt = null;
    }
}
