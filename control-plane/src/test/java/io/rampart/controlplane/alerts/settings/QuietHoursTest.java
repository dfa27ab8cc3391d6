package io.rampart.controlplane.alerts.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final QuietHours EVENINGS = new QuietHours(LocalTime.of(20, 0), LocalTime.of(7, 0));

    @Test
    void anEmailWrittenOutsideQuietHoursGoesNow() {
        Instant noon = Instant.parse("2026-11-26T12:00:00Z");
        assertThat(EVENINGS.releaseAt(noon, LONDON)).isEqualTo(noon);
        Instant justBefore = Instant.parse("2026-11-26T19:59:59Z");
        assertThat(EVENINGS.releaseAt(justBefore, LONDON)).isEqualTo(justBefore);
        Instant theEnd = Instant.parse("2026-11-27T07:00:00Z");
        assertThat(EVENINGS.releaseAt(theEnd, LONDON)).isEqualTo(theEnd);
    }

    @Test
    void quietHoursSpanningMidnightHoldTheEmailUntilTheNextMorning() {
        assertThat(EVENINGS.releaseAt(Instant.parse("2026-11-26T20:00:00Z"), LONDON)).isEqualTo(Instant.parse("2026-11-27T07:00:00Z"));
        assertThat(EVENINGS.releaseAt(Instant.parse("2026-11-26T23:30:00Z"), LONDON)).isEqualTo(Instant.parse("2026-11-27T07:00:00Z"));
        assertThat(EVENINGS.releaseAt(Instant.parse("2026-11-27T03:10:00Z"), LONDON)).isEqualTo(Instant.parse("2026-11-27T07:00:00Z"));
    }

    @Test
    void quietHoursWithinOneDayHoldTheEmailUntilTheyEnd() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0));
        assertThat(lunch.releaseAt(Instant.parse("2026-11-26T12:30:00Z"), ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-11-26T14:00:00Z"));
        assertThat(lunch.releaseAt(Instant.parse("2026-11-26T14:30:00Z"), ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-11-26T14:30:00Z"));
    }

    @Test
    void theEndIsLocalTimeInTheGroupsZoneAcrossADaylightSavingChange() {
        // British Summer Time ends on 25 Oct 2026 at 02:00 local: 07:00 on the 25th is 07:00Z, on the 24th 06:00Z
        assertThat(EVENINGS.releaseAt(Instant.parse("2026-10-24T21:00:00Z"), LONDON)).isEqualTo(Instant.parse("2026-10-25T07:00:00Z"));
        assertThat(EVENINGS.releaseAt(Instant.parse("2026-10-23T21:00:00Z"), LONDON)).isEqualTo(Instant.parse("2026-10-24T06:00:00Z"));
    }

    @Test
    void quietHoursMustNotStartAndEndTogether() {
        assertThatThrownBy(() -> new QuietHours(LocalTime.NOON, LocalTime.NOON)).isInstanceOf(IllegalArgumentException.class);
    }
}
