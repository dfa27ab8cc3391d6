package io.rampart.controlplane.compliance;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * How the compliance evaluation keeps up, per replica:
 * <ul>
 * <li>{@code rampart.compliance.evaluations} ({@code rampart_compliance_evaluations_total}): practices evaluated and
 * committed. The ones whose evaluation threw are {@code rampart.compliance.evaluation.failures} (EvaluationFailures).</li>
 * <li>{@code rampart.compliance.evaluation.duration} ({@code rampart_compliance_evaluation_duration_seconds}, a
 * histogram with buckets from 10 ms to 60 s): one round that took at least one due practice, i.e. up to
 * {@code rampart.compliance.batch-size} practices in one transaction (or one by one after the batch failed), measured
 * on the wall clock from the first query to the last commit. Rounds that found nothing due are not recorded, so the
 * quantiles say how long real work takes.</li>
 * </ul>
 */
@ApplicationScoped
@Startup // its series exist from the start, at 0, before anything happens
public class EvaluationMeters {

    private final Counter evaluations;
    private final Timer rounds;

    @Inject
    public EvaluationMeters(MeterRegistry registry) {
        evaluations = Counter.builder("rampart.compliance.evaluations")
                .description("Practices whose compliance was evaluated and committed").register(registry);
        rounds = Timer.builder("rampart.compliance.evaluation.duration")
                .description("Time of one evaluation round over up to rampart.compliance.batch-size due practices, seconds")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry);
    }

    /** {@code practices} were evaluated and committed. */
    void evaluated(int practices) {
        evaluations.increment(practices);
    }

    /** A round took {@code practices} due practices (evaluated or failed) in {@code nanos} nanoseconds; empty rounds are not kept. */
    void round(int practices, long nanos) {
        if (practices > 0) {
            rounds.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
