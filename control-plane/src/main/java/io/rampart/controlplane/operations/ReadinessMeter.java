package io.rampart.controlplane.operations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealthReporter;

/**
 * {@code rampart.health.ready} ({@code rampart_health_ready}): 1 when this replica's readiness (/q/health/ready: the
 * database, Kafka, the outbox and every consumer keeping up) was UP at its last look, 0 when DOWN, NaN before the first
 * look. Looked at every 15 s ({@link #refresh}), off the scrape, so a scrape never waits on a slow check. It lets
 * Prometheus alert on readiness where nothing else scrapes it (outside Kubernetes, or without kube-state-metrics); the
 * reason is in /q/health/ready.
 */
@ApplicationScoped
@Startup // its series exist from the start, at 0, before anything happens
public class ReadinessMeter {

    private static final Logger LOG = Logger.getLogger(ReadinessMeter.class);

    @Inject
    SmallRyeHealthReporter health;

    private volatile double ready = Double.NaN;

    @Inject
    void register(MeterRegistry registry) {
        Gauge.builder("rampart.health.ready", this, meter -> meter.ready)
                .description("1 when this replica's readiness (/q/health/ready) was UP at its last look (every 15 s), 0 when DOWN")
                .register(registry);
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        refresh();
    }

    /** Runs the readiness checks now and keeps their verdict for the gauge. */
    public void refresh() {
        try {
            ready = health.getReadiness().isDown() ? 0 : 1;
        } catch (RuntimeException e) {
            LOG.debugf(e, "The readiness checks could not be run");
            ready = 0;
        }
    }
}
