package io.rampart.agent.collectors.ups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class SelfTestWindowTest {

    /** 2026-11-24 is a Tuesday. */
    private static ZonedDateTime at(String localDateTime) {
        return ZonedDateTime.parse(localDateTime + "+11:00[Australia/Melbourne]");
    }

    @Test
    void opensOnTheNamedDaysBetweenTheTimes() {
        SelfTestWindow window = SelfTestWindow.parse("Tue 10:00-11:00");

        assertThat(window.contains(at("2026-11-24T10:00"))).isTrue();
        assertThat(window.contains(at("2026-11-24T10:59"))).isTrue();
        assertThat(window.contains(at("2026-11-24T11:00"))).isFalse();
        assertThat(window.contains(at("2026-11-25T10:30"))).isFalse();
    }

    @Test
    void readsRangesListsEveryDayAndSeveralWindows() {
        assertThat(SelfTestWindow.parse("Mon-Fri 12:30-13:00").contains(at("2026-11-27T12:45"))).isTrue();
        assertThat(SelfTestWindow.parse("Mon-Fri 12:30-13:00").contains(at("2026-11-28T12:45"))).isFalse();
        assertThat(SelfTestWindow.parse("Tue,Thu 10:00-10:30").contains(at("2026-11-26T10:15"))).isTrue();
        assertThat(SelfTestWindow.parse("10:00-11:00").contains(at("2026-11-29T10:15"))).isTrue();
        assertThat(SelfTestWindow.parse("Sat 23:00-01:00").contains(at("2026-11-29T00:30"))).isTrue();
        assertThat(SelfTestWindow.parse("Mon 09:00-10:00; Thu 14:00-15:00").contains(at("2026-11-26T14:30"))).isTrue();
    }

    @Test
    void refusesWhatItCannotReadWithAnExample() {
        assertThatThrownBy(() -> SelfTestWindow.parse("Tuesday morning"))
                .hasMessage("'Tuesday morning' is not a self-test window like 'Tue 10:00-11:00', 'Mon-Fri 12:30-13:00' "
                        + "or '10:00-11:00' (every day)");
        assertThatThrownBy(() -> SelfTestWindow.parse("Xyz 10:00-11:00")).isInstanceOf(IllegalArgumentException.class);
    }
}
