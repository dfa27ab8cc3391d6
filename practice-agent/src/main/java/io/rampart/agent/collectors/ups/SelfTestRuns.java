package io.rampart.agent.collectors.ups;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.nut.NutException;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;

/**
 * Dates a UPS's self-tests and starts them where the practice lets Rampart. A USB or serial UPS never reports
 * ups.test.date, so a test is dated either by Rampart having started it (NUT instant command
 * {@code test.battery.start.quick}, allowed by {@code instcmds} in upsd.users) or by the time Rampart first saw a new
 * ups.test.result value. A result already there when Rampart first looked is dated "before Rampart began watching",
 * which never proves a recent test.
 */
public final class SelfTestRuns {

    /** The NUT instant command Rampart sends: the quick battery test (seconds to a minute on battery). */
    public static final String COMMAND = "test.battery.start.quick";
    /** A battery below this charge is not tested: a weak battery under test could drop the servers. */
    public static final double MIN_CHARGE_PERCENT = 80;
    /** After this long, an unchanged result of a test the UPS was seen running is its result (the UPS said the same). */
    static final Duration SETTLE = Duration.ofMinutes(2);
    /** A started test with no result after this long is given up (the UPS ignored it). */
    static final Duration GIVE_UP = Duration.ofHours(1);
    /** One attempt a day at most, whatever upsd answered. */
    static final Duration BETWEEN_ATTEMPTS = Duration.ofHours(20);
    /** The time a quick test (and the recharge after it) must keep clear of the practice's backup window. */
    static final Duration TEST_LENGTH = Duration.ofMinutes(15);

    /** Sends the instant command; the caller's NUT connection. */
    @FunctionalInterface
    public interface Starter {
        void start() throws NutException;
    }

    /**
     * What the practice allows: an upsd user set for the check, a self-test window, the backup window to keep out of,
     * the server's time zone for both windows, and how to send the command.
     */
    public record Rights(boolean userSet, Optional<SelfTestWindow> window, BackupWindow backupWindow, ZoneId zone, Starter starter) {
    }

    /** The newest self-test after this run, and whether Rampart may start tests. */
    public record Decision(SelfTestMemory.Test latest, UpsSelfTestControl control) {
    }

    private SelfTestRuns() {
    }

    /**
     * The newest self-test as this run sees it, updating the memory: a test the agent started and now has a result
     * for, a test the UPS dates itself, a new ups.test.result value (dated now), or the value seen before.
     *
     * @param result ups.test.result ("" when the UPS reports none)
     * @param dateText ups.test.date as reported ("" when none), to notice a new test of a UPS that dates its tests
     * @param date ups.test.date when it could be read
     * @param running whether a test runs now (In progress, TEST or CAL flag)
     */
    public static SelfTestMemory.Test latest(SelfTestMemory memory, String result, String dateText, Optional<Instant> date,
            boolean running, Instant now) {
        UpsSelfTestOutcome outcome = SelfTestResults.classify(result);
        Optional<SelfTestMemory.Started> started = memory.started();
        if (started.isPresent()) {
            SelfTestMemory.Started s = started.get();
            boolean changed = !result.equals(s.resultBefore()) || !dateText.equals(s.dateBefore());
            if (running && !s.confirmed()) {
                s = s.confirm();
                memory.started(s);
            }
            boolean settled = !Duration.between(s.at(), now).minus(SETTLE).isNegative();
            // the same words as before count only for a test the UPS was seen running: else it may have ignored it
            if (!running && SelfTestResults.isFinal(outcome) && (changed || s.confirmed() && settled)) {
                SelfTestMemory.Test test = new SelfTestMemory.Test(outcome, result, s.at(), UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART);
                memory.clearStarted();
                return remember(memory, test);
            }
            if (Duration.between(s.at(), now).compareTo(GIVE_UP) <= 0) {
                return new SelfTestMemory.Test(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS, result, s.at(),
                        UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART);
            }
            // the UPS gave no result: forget the start and date what it says the usual way
            memory.clearStarted();
        }
        if (date.isPresent() && SelfTestResults.isFinal(outcome)) {
            return remember(memory, new SelfTestMemory.Test(outcome, result, date.get(), UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_REPORTED_BY_UPS));
        }
        Optional<SelfTestMemory.Test> current = memory.current();
        if (running) {
            if (current.isEmpty() && SelfTestResults.isFinal(outcome)) {
                // the value before this test, there when Rampart first looked
                remember(memory, new SelfTestMemory.Test(outcome, result, now, UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED));
            }
            // whatever the UPS says when the test is over is a new result, even in the same words
            memory.runningSeen(true);
            return new SelfTestMemory.Test(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS, result, now,
                    UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART);
        }
        if (current.isEmpty()) {
            return remember(memory, new SelfTestMemory.Test(outcome, result, now, UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED));
        }
        if (!current.get().result().equals(result) || memory.runningSeen()) {
            return remember(memory, new SelfTestMemory.Test(outcome, result, now, UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART));
        }
        SelfTestMemory.Test same = current.get();
        return new SelfTestMemory.Test(outcome, result, same.at(), same.source());
    }

    /**
     * Whether what the UPS says now shows the test just started under way: In progress, a TEST flag, or a result or
     * test date other than before it. The agent looks a few times right after starting a test (a quick test lasts
     * seconds), since the next check run may come after it ended in the same words as the last one.
     */
    public static boolean showsTestUnderWay(SelfTestMemory.Started started, String result, String dateText, boolean running) {
        return running || !result.equals(started.resultBefore()) || !dateText.equals(started.dateBefore());
    }

    private static SelfTestMemory.Test remember(SelfTestMemory memory, SelfTestMemory.Test test) {
        memory.current(test);
        memory.runningSeen(false);
        if (test.outcome() == UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED) {
            Optional<SelfTestMemory.Test> before = memory.lastPassed();
            boolean undated = test.source() == UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED;
            // a result found on first look never replaces a test Rampart could date
            if (before.isEmpty() || !undated && !test.at().isBefore(before.get().at())) {
                memory.lastPassed(test);
            }
        }
        return test;
    }

    /**
     * Starts a quick self-test when one is due (no passed test, or the newest is older than three quarters of the
     * limit, so that a failure leaves weeks to act), the practice allows it (user and window set), it is inside the
     * self-test window and clear of the backup window, the UPS is on line with no warning and a charged battery, it
     * reports ups.test.result at all, no test runs, and no attempt was made in the last 20 h.
     */
    public static Decision maybeStart(SelfTestMemory memory, Rights rights, SelfTestMemory.Test latest, Optional<Duration> maxAge,
            boolean healthy, boolean running, String result, String dateText, Instant now) {
        if (!rights.userSet()) {
            return new Decision(latest, UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NO_USER);
        }
        if (rights.window().isEmpty()) {
            return new Decision(latest, UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NO_WINDOW);
        }
        UpsSelfTestControl control = memory.control().orElse(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED);
        ZonedDateTime local = now.atZone(rights.zone());
        boolean due = maxAge.isPresent() && memory.lastPassed()
                .filter(p -> p.source() != UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED)
                .map(p -> Duration.between(p.at(), now).compareTo(maxAge.get().multipliedBy(3).dividedBy(4)) >= 0)
                .orElse(true);
        boolean attemptedLately = memory.lastAttemptAt().map(at -> Duration.between(at, now).compareTo(BETWEEN_ATTEMPTS) < 0).orElse(false);
        boolean inWindow = rights.window().get().contains(local) && !rights.backupWindow().contains(local)
                && (rights.backupWindow().isNone() || rights.backupWindow().fitsBefore(local, TEST_LENGTH));
        // a UPS that reports no ups.test.result (blazer, most nutdrv_qx) would be tested for nothing: no outcome to see
        boolean reportsResults = !result.isEmpty();
        if (!due || !healthy || running || !reportsResults || memory.started().isPresent() || attemptedLately || !inWindow) {
            return new Decision(latest, control);
        }
        memory.lastAttemptAt(now);
        try {
            rights.starter().start();
        } catch (NutException e) {
            UpsSelfTestControl refused = switch (e.kind()) {
                case ACCESS_DENIED -> UpsSelfTestControl.UPS_SELF_TEST_CONTROL_DENIED;
                case COMMAND_NOT_SUPPORTED -> UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NOT_SUPPORTED;
                // upsd away for a moment: try again tomorrow, what it allows is unchanged
                default -> control;
            };
            memory.control(refused);
            return new Decision(latest, refused);
        }
        memory.control(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED);
        memory.started(new SelfTestMemory.Started(now, result, dateText, false));
        return new Decision(new SelfTestMemory.Test(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS, result, now,
                UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART), UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED);
    }
}
