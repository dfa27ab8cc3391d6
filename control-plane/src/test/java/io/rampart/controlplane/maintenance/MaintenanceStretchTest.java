package io.rampart.controlplane.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class MaintenanceStretchTest {

    private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void aWindowAloneIsItsOwnStretch() {
        assertThat(MaintenanceStretch.of(days(0, 3), List.of(days(5, 6))).length()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void windowsThatTouchOrOverlapJoinEvenThroughAnotherOne() {
        // 0-3 touches 3-8, which overlaps 7-12; 14-15 is after a break
        MaintenanceStretch stretch = MaintenanceStretch.of(days(0, 3), List.of(days(7, 12), days(14, 15), days(3, 8)));
        assertThat(stretch).isEqualTo(days(0, 12));
    }

    @Test
    void aGapOfLessThanAnHourIsNoBreakButALongerOneIs() {
        MaintenanceStretch first = days(0, 3);
        // read back from PostgreSQL a fraction of a microsecond before the next one starts
        MaintenanceStretch roundedDown = new MaintenanceStretch(first.from(), first.to().minusNanos(710));
        assertThat(MaintenanceStretch.of(days(3, 8), List.of(roundedDown))).isEqualTo(new MaintenanceStretch(first.from(), days(3, 8).to()));
        MaintenanceStretch minutesEarlier = new MaintenanceStretch(first.from(), first.to().minus(Duration.ofMinutes(59)));
        assertThat(MaintenanceStretch.of(days(3, 8), List.of(minutesEarlier)).from()).isEqualTo(first.from());
        MaintenanceStretch hoursEarlier = new MaintenanceStretch(first.from(), first.to().minus(Duration.ofHours(2)));
        assertThat(MaintenanceStretch.of(days(3, 8), List.of(hoursEarlier))).isEqualTo(days(3, 8));
    }

    @Test
    void aWindowInsideAnotherTakesTheOthersSpan() {
        assertThat(MaintenanceStretch.of(days(2, 3), List.of(days(1, 10)))).isEqualTo(days(1, 10));
    }

    private static MaintenanceStretch days(int from, int to) {
        return new MaintenanceStretch(T.plus(Duration.ofDays(from)), T.plus(Duration.ofDays(to)));
    }
}
