package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import io.rampart.agent.config.BackupWindow;

class RepositoryCheckScheduleTest {

    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    private static final BackupWindow NIGHTLY = BackupWindow.parse("21:00-06:30");

    private static ZonedDateTime at(String dateTime) {
        return java.time.LocalDateTime.parse(dateTime).atZone(SYDNEY);
    }

    @Test
    void runsAtOnceWithoutABackupWindow() {
        assertThat(RepositoryCheckSchedule.decide(BackupWindow.NONE, at("2026-11-30T23:00"), Duration.ofHours(6)).now()).isTrue();
    }

    @Test
    void runsOutsideTheWindowWhenItsTimeLimitEndsBeforeTheWindowOpens() {
        RepositoryCheckSchedule.Decision decision = RepositoryCheckSchedule.decide(NIGHTLY, at("2026-11-30T14:00"), Duration.ofHours(6));

        assertThat(decision.now()).isTrue();
        assertThat(decision.because()).isEmpty();
    }

    @Test
    void waitsInsideTheWindowUntilItCloses() {
        RepositoryCheckSchedule.Decision decision = RepositoryCheckSchedule.decide(NIGHTLY, at("2026-11-30T23:00"), Duration.ofHours(6));

        assertThat(decision.now()).isFalse();
        assertThat(decision.runsAt()).contains(at("2026-12-01T06:30"));
        assertThat(decision.because()).isEqualTo("the backup window 21:00-06:30 is open");
        assertThat(decision.when(at("2026-11-30T23:00"))).isEqualTo("after 06:30 on 2026-12-01");
        assertThat(decision.when(at("2026-12-01T01:00"))).isEqualTo("after 06:30");
    }

    @Test
    void waitsWhenItsTimeLimitWouldRunIntoTheWindow() {
        RepositoryCheckSchedule.Decision decision = RepositoryCheckSchedule.decide(NIGHTLY, at("2026-11-30T16:00"), Duration.ofHours(6));

        assertThat(decision.now()).isFalse();
        assertThat(decision.runsAt()).contains(at("2026-12-01T06:30"));
        assertThat(decision.because()).isEqualTo("a check of up to 6 h would not end before the backup window 21:00-06:30 opens");
    }

    @Test
    void saysWhenATimeLimitNeverFitsBetweenTwoWindows() {
        RepositoryCheckSchedule.Decision decision = RepositoryCheckSchedule.decide(BackupWindow.parse("08:00-02:00"),
                at("2026-11-30T12:00"), Duration.ofHours(7));

        assertThat(decision.now()).isFalse();
        assertThat(decision.neverFits()).isTrue();
        assertThat(decision.runsAt()).isEmpty();
        assertThat(decision.because()).isEqualTo("a check of up to 7 h never ends before the backup window 08:00-02:00 opens again");
    }
}
