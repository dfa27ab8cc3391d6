package io.rampart.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class DailyDigestScheduleTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final LocalTime SEVEN = LocalTime.of(7, 0);

    @Test
    void theDigestIsDueFromItsLocalTimeForSixHours() {
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-26T06:59:00Z"), LONDON, SEVEN)).isEmpty();
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-26T07:00:00Z"), LONDON, SEVEN)).contains(LocalDate.of(2026, 11, 26));
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-26T12:59:00Z"), LONDON, SEVEN)).contains(LocalDate.of(2026, 11, 26));
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-26T13:00:00Z"), LONDON, SEVEN)).isEmpty();
    }

    @Test
    void theDayIsTheLocalDayOfTheDigestTime() {
        // 07:00 in Sydney is 20:00Z the day before (AEDT, UTC+11)
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-25T20:30:00Z"), ZoneId.of("Australia/Sydney"), SEVEN))
                .contains(LocalDate.of(2026, 11, 26));
        // a late digest time spans midnight: 23:00 London, looked at 01:00 the next day
        assertThat(DailyDigests.dueDay(Instant.parse("2026-11-27T01:00:00Z"), LONDON, LocalTime.of(23, 0))).contains(LocalDate.of(2026, 11, 26));
    }

    @Test
    void inSummerTheLocalTimeIsWhatCounts() {
        assertThat(DailyDigests.dueDay(Instant.parse("2026-07-01T06:00:00Z"), LONDON, SEVEN)).contains(LocalDate.of(2026, 7, 1));
        assertThat(DailyDigests.dueDay(Instant.parse("2026-07-01T05:59:00Z"), LONDON, SEVEN)).isEmpty();
    }
}
