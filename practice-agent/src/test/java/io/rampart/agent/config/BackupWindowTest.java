package io.rampart.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class BackupWindowTest {

    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

    private static ZonedDateTime at(int hour, int minute) {
        return ZonedDateTime.of(2026, 11, 30, hour, minute, 0, 0, SYDNEY);
    }

    @Test
    void aWindowAcrossMidnightHoldsTheNightAndNotTheDay() {
        BackupWindow window = BackupWindow.parse("21:00-06:30");

        assertThat(window.contains(at(21, 0))).isTrue();
        assertThat(window.contains(at(2, 0))).isTrue();
        assertThat(window.contains(at(6, 29))).isTrue();
        assertThat(window.contains(at(6, 30))).isFalse();
        assertThat(window.contains(at(13, 0))).isFalse();
        assertThat(window.contains(at(20, 59))).isFalse();
    }

    @Test
    void severalSpansEachCount() {
        BackupWindow window = BackupWindow.parse("01:00-03:00, 12:00-12:30");

        assertThat(window.contains(at(2, 0))).isTrue();
        assertThat(window.contains(at(12, 15))).isTrue();
        assertThat(window.contains(at(11, 0))).isFalse();
    }

    @Test
    void workThatWouldRunIntoTheWindowDoesNotFit() {
        BackupWindow window = BackupWindow.parse("21:00-06:30");

        assertThat(window.fitsBefore(at(19, 0), Duration.ofHours(1))).isTrue();
        assertThat(window.fitsBefore(at(20, 30), Duration.ofHours(1))).isFalse();
        assertThat(window.fitsBefore(at(22, 0), Duration.ofMinutes(5))).isFalse();
        assertThat(window.untilClosed(at(5, 0))).contains(Duration.ofMinutes(90));
        assertThat(window.untilClosed(at(12, 0))).contains(Duration.ZERO);
        assertThat(BackupWindow.NONE.fitsBefore(at(22, 0), Duration.ofHours(3))).isTrue();
    }

    @Test
    void aWindowOfTheWholeDayNeverCloses() {
        assertThat(BackupWindow.parse("00:00-00:00").untilClosed(at(5, 0))).isEmpty();
    }

    @Test
    void refusesWhatIsNotASpanOfTimes() {
        assertThatThrownBy(() -> BackupWindow.parse("nightly")).hasMessageContaining("21:00-06:30");
        assertThatThrownBy(() -> BackupWindow.parse("25:00-06:00")).hasMessageContaining("'25:00-06:00'");
    }
}
