package io.rampart.agent.collectors.folder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;

import org.junit.jupiter.api.Test;

/** The pace keeps to its rate in time moved by the test: a slow stretch banks at most a second of credit. */
class ReadBackPaceTest {

    @Test
    void aSlowStretchLetsTheNextReadsBurstForNoMoreThanASecond() throws InterruptedIOException {
        long[] clock = { 0 };
        long[] waited = { 0 };
        ReadBackBudget.Pace pace = new ReadBackBudget.Pace(1_000_000, () -> clock[0], nanos -> {
            waited[0] += nanos;
            clock[0] += nanos;
        });
        // a minute spent elsewhere (a slow share, an archive opened unpaced) with nothing read
        clock[0] += 60_000_000_000L;

        pace.read(10_000_000);

        // 10 MB at 1 MB/s is 10 s; at most 1 s of it may be the banked credit
        assertThat(waited[0]).isGreaterThanOrEqualTo(9_000_000_000L - 10_000_000L);
    }

    @Test
    void readingAtTheRateWaitsForTheRate() throws InterruptedIOException {
        long[] clock = { 0 };
        ReadBackBudget.Pace pace = new ReadBackBudget.Pace(1_000_000, () -> clock[0], nanos -> clock[0] += nanos);

        for (int i = 0; i < 5; i++) {
            pace.read(1_000_000);
        }

        assertThat(clock[0]).isBetween(4_990_000_000L, 5_000_000_000L);
    }
}
