package io.rampart.controlplane.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A consumer's readiness and metrics say whether it keeps up; dead letters are named but never make it DOWN. */
class ConsumerProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final SteppingClock clock = new SteppingClock(T0);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerProgress progress = new ConsumerProgress("alerts", clock, Duration.ofMinutes(2), Duration.ofMinutes(5), registry);

    @Test
    void isDownOnceAPollHasKeptFailingForLongerThanTheThresholdAndUpOnceItApplies() {
        progress.state(ConsumerProgress.State.RUNNING);
        progress.inHand(T0.toEpochMilli());
        progress.failing("PSQLException: Connection refused (SQLSTATE 08001)");
        clock.advance(Duration.ofSeconds(120));
        assertThat(progress.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        clock.advance(Duration.ofSeconds(1));
        HealthCheckResponse down = progress.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getName()).isEqualTo("consumer alerts");
        assertThat(down.getData().orElseThrow()).containsEntry("failingForSeconds", 121L).containsEntry("why",
                "alerts has failed to apply its records for 121 s (more than 120 s): PSQLException: Connection refused (SQLSTATE 08001)");

        progress.committed(T0.toEpochMilli());
        progress.pollDone();
        assertThat(progress.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void isDownWhenTheOldestRecordWaitingIsOlderThanTheMaximumAgeAndReportsTheAgeInSeconds() {
        progress.state(ConsumerProgress.State.RUNNING);
        progress.inHand(T0.toEpochMilli());
        clock.advance(Duration.ofMinutes(5));
        assertThat(progress.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(registry.get("rampart.consumer.last.applied.age").tag("consumer", "alerts").gauge().value()).isEqualTo(300.0);

        clock.advance(Duration.ofSeconds(1));
        assertThat(progress.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(progress.call().getData().orElseThrow()).containsEntry("why", "alerts is 301 s behind (more than 300 s)")
                .containsEntry("lastAppliedAgeSeconds", 301L);
    }

    @Test
    void theAgeIsZeroWhenCaughtUpAndTheLagIsAGauge() {
        progress.state(ConsumerProgress.State.RUNNING);
        assertThat(registry.get("rampart.consumer.lag").tag("consumer", "alerts").gauge().value()).isNaN();
        progress.inHand(T0.toEpochMilli());
        progress.committed(T0.toEpochMilli());
        progress.pollDone();
        progress.lag(0);
        clock.advance(Duration.ofHours(3));
        assertThat(progress.lastAppliedAge()).isZero();
        assertThat(registry.get("rampart.consumer.lag").tag("consumer", "alerts").gauge().value()).isZero();

        progress.lag(7);
        assertThat(progress.lastAppliedAge()).isEqualTo(Duration.ofHours(3));
        assertThat(registry.get("rampart.consumer.lag").tag("consumer", "alerts").gauge().value()).isEqualTo(7.0);
    }

    @Test
    void namesItsDeadLettersWithoutGoingDown() {
        progress.state(ConsumerProgress.State.RUNNING);
        progress.deadLettered("compliance-2@17", "UnreadableRecord: record compliance-2@17 is not readable: truncated message");

        HealthCheckResponse response = progress.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("deadLetters", 1L).containsEntry("lastDeadLetter",
                "compliance-2@17: UnreadableRecord: record compliance-2@17 is not readable: truncated message");
        assertThat(registry.counter("rampart.consumer.dead.letters", "consumer", "alerts").count()).isEqualTo(1);
    }

    @Test
    void isDownWhileStartingOrStopped() {
        assertThat(progress.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(progress.call().getData().orElseThrow()).containsEntry("why", "alerts is starting");
        progress.state(ConsumerProgress.State.STOPPED);
        assertThat(progress.call().getData().orElseThrow()).containsEntry("why", "alerts is stopped");
    }
}
