package io.rampart.controlplane.compliance;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.RampartConfig;

/**
 * Runs the compliance evaluation on every replica; the database decides which replica evaluates
 * which practice (see ComplianceEvaluation), so running it everywhere is safe and spreads the work.
 */
@ApplicationScoped
public class ComplianceScheduler {

    private static final Logger LOG = Logger.getLogger(ComplianceScheduler.class);
    @Inject
    ComplianceEvaluation evaluation;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    @Scheduled(every = "${rampart.compliance.evaluate-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void evaluateDue() {
        Instant now = clock.instant();
        int batch = config.compliance().batchSize();
        try {
            int evaluated;
            do {
                evaluated = evaluation.evaluateDue(now, batch);
            } while (evaluated == batch);
        } catch (RuntimeException e) {
            // the practices stay due: the next round tries again
            LOG.warnf("Compliance evaluation stopped for this round: %s", e.getMessage());
        }
    }
}
