package io.rampart.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class DateInputTest {

    private static final ZoneId MELBOURNE = ZoneId.of("Australia/Melbourne");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void aDateMeansThatDayInTheGroupsZone() {
        assertThat(DateInput.parse("2027-01-31", LocalTime.of(23, 59, 59), MELBOURNE)).contains(Instant.parse("2027-01-31T12:59:59Z"));
        assertThat(DateInput.parse("2027-07-31", LocalTime.MIDNIGHT, LONDON)).contains(Instant.parse("2027-07-30T23:00:00Z"));
        assertThat(DateInput.parse("2027-01-31T17:00:00.123Z", LocalTime.NOON, MELBOURNE)).contains(Instant.parse("2027-01-31T17:00:00Z"));
        assertThat(DateInput.parse("next tuesday", LocalTime.NOON, MELBOURNE)).isEmpty();
    }

    @Test
    void todayHappenedNowAtOneInTheMorningUtc() {
        Instant now = Instant.parse("2026-11-30T01:00:00Z");

        assertThat(DateInput.happenedAt("2026-11-30", MELBOURNE, now)).contains(now);
        assertThat(DateInput.happenedAt("2026-11-30", LONDON, now)).contains(now);
        // 29 Nov is yesterday in Melbourne, today in Los Angeles (17:00 on the 29th)
        assertThat(DateInput.happenedAt("2026-11-29", MELBOURNE, now)).contains(Instant.parse("2026-11-29T01:00:00Z"));
        assertThat(DateInput.happenedAt("2026-11-29", ZoneId.of("America/Los_Angeles"), now)).contains(now);
        assertThat(DateInput.happenedAt("2026-12-01", MELBOURNE, now)).get().matches(at -> at.isAfter(now));
    }

    @Test
    void todayHappenedNowAtElevenAtNightUtc() {
        Instant now = Instant.parse("2026-11-30T23:00:00Z");

        assertThat(DateInput.happenedAt("2026-12-01", MELBOURNE, now)).contains(now);
        assertThat(DateInput.happenedAt("2026-11-30", LONDON, now)).contains(now);
        // a reviewer ahead of the group's zone: already 1 Dec where they are
        assertThat(DateInput.happenedAt("2026-12-01", LONDON, now)).contains(now);
        assertThat(DateInput.happenedAt("2026-12-02", LONDON, now)).get().matches(at -> at.isAfter(now));
    }
}
