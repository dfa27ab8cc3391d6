package io.rampart.controlplane.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Alerts opened and resolved, counted when the transaction that opened or resolved them commits (a consumer's
 * transaction that rolls back and is applied again counts once):
 * <ul>
 * <li>{@code rampart.alerts.opened} ({@code rampart_alerts_opened_total}), tag {@code level}: {@code fail} or
 * {@code at_risk} (groups that ask to hear of AT_RISK).</li>
 * <li>{@code rampart.alerts.resolved} ({@code rampart_alerts_resolved_total}), tag {@code cause}: {@code recovered}
 * (the rule passes again) or {@code practice_decommissioned} (its alerts were closed with it).</li>
 * </ul>
 * Both series of each exist from startup at 0.
 */
@ApplicationScoped
@Startup // its series exist from the start, at 0, before anything happens
public class AlertMeters {

    private final Counter openedFailing;
    private final Counter openedAtRisk;
    private final Counter recovered;
    private final Counter decommissioned;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    public AlertMeters(MeterRegistry registry) {
        String opened = "Alerts opened, by level (fail, at_risk)";
        openedFailing = Counter.builder("rampart.alerts.opened").tag("level", "fail").description(opened).register(registry);
        openedAtRisk = Counter.builder("rampart.alerts.opened").tag("level", "at_risk").description(opened).register(registry);
        String resolved = "Alerts resolved, by cause (recovered, practice_decommissioned)";
        recovered = Counter.builder("rampart.alerts.resolved").tag("cause", "recovered").description(resolved).register(registry);
        decommissioned = Counter.builder("rampart.alerts.resolved").tag("cause", "practice_decommissioned").description(resolved)
                .register(registry);
    }

    /** An alert of this level was opened in the current transaction (an AT_RISK alert that worsens counts again, as fail). */
    void opened(Alert.Level level) {
        afterCommit(level == Alert.Level.AT_RISK ? openedAtRisk : openedFailing, 1);
    }

    /** An alert was resolved in the current transaction because its rule passes again. */
    void recovered() {
        afterCommit(recovered, 1);
    }

    /** {@code alerts} alerts were closed in the current transaction with their decommissioned practice. */
    void closedWithPractice(int alerts) {
        afterCommit(decommissioned, alerts);
    }

    private void afterCommit(Counter counter, int amount) {
        if (amount <= 0) {
            return;
        }
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            counter.increment(amount);
            return;
        }
        if (status != Status.STATUS_ACTIVE) {
            return;  // marked for rollback (or ending): what it did will not be, so it is not counted
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    counter.increment(amount);
                }
            }
        });
    }
}
