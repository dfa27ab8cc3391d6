package io.rampart.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A consumer session that dies is started again after a growing pause, and each restart is counted. */
class ConsumerSupervisorTest {

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-30T08:00:00Z"));
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerProgress progress = new ConsumerProgress("fleet-projection", clock, Duration.ofMinutes(2), Duration.ofMinutes(5),
            registry);
    private final AtomicBoolean shouldRun = new AtomicBoolean(true);
    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();

    @Test
    void restartsADiedSessionAfterPausesThatDoubleUpToTheMaximumAndCountsEachRestart() {
        List<ConsumerProgress.State> statesDuringPauses = new ArrayList<>();
        ConsumerSupervisor supervisor = new ConsumerSupervisor(progress, () -> {
            if (sessions.incrementAndGet() <= 4) {
                throw new IllegalStateException("the consumer's thread met something unexpected");
            }
            shouldRun.set(false); // a session returns only once the consumer is stopped
        }, shouldRun::get, Duration.ofSeconds(1), Duration.ofSeconds(4), clock, pause -> {
            statesDuringPauses.add(progress.state());
            pauses.add(pause);
            return true;
        });

        supervisor.run();

        assertThat(sessions).hasValue(5);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(4));
        assertThat(statesDuringPauses).containsOnly(ConsumerProgress.State.RESTARTING);
        assertThat(registry.counter("rampart.consumer.restarts", "consumer", "fleet-projection").count()).isEqualTo(4);
        assertThat(progress.state()).isEqualTo(ConsumerProgress.State.STOPPED);
        assertThat(progress.call().getStatus().name()).isEqualTo("DOWN");
    }

    @Test
    void aSessionThatRanLongerThanTheLongestPauseBeforeItDiedStartsThePausesOver() {
        ConsumerSupervisor supervisor = new ConsumerSupervisor(progress, () -> {
            int session = sessions.incrementAndGet();
            if (session == 3) {
                clock.advance(Duration.ofMinutes(10)); // ran well for a long time, then died
            }
            if (session <= 3) {
                throw new IllegalStateException("died");
            }
            shouldRun.set(false);
        }, shouldRun::get, Duration.ofSeconds(1), Duration.ofSeconds(4), clock, pause -> pauses.add(pause));

        supervisor.run();

        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aConsumerStoppedDuringThePauseIsNotStartedAgainNorCountedTwice() {
        ConsumerSupervisor supervisor = new ConsumerSupervisor(progress, () -> {
            sessions.incrementAndGet();
            throw new IllegalStateException("died");
        }, shouldRun::get, Duration.ofSeconds(1), Duration.ofSeconds(4), clock, pause -> {
            shouldRun.set(false);
            return false;
        });

        supervisor.run();

        assertThat(sessions).hasValue(1);
        assertThat(registry.counter("rampart.consumer.restarts", "consumer", "fleet-projection").count()).isEqualTo(1);
        assertThat(progress.state()).isEqualTo(ConsumerProgress.State.STOPPED);
    }

    @Test
    void aSessionEndingWithAnExceptionBecauseItWasStoppedIsNotARestart() {
        ConsumerSupervisor supervisor = new ConsumerSupervisor(progress, () -> {
            sessions.incrementAndGet();
            shouldRun.set(false);
            throw new IllegalStateException("woken up to stop");
        }, shouldRun::get, Duration.ofSeconds(1), Duration.ofSeconds(4), clock, pause -> pauses.add(pause));

        supervisor.run();

        assertThat(pauses).isEmpty();
        assertThat(registry.counter("rampart.consumer.restarts", "consumer", "fleet-projection").count()).isZero();
    }
}
