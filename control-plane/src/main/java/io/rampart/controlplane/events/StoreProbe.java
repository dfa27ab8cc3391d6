package io.rampart.controlplane.events;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs a consumer's probe: work that applies a trivially good record, in a transaction of its own
 * that is always rolled back, so the probe leaves nothing behind (see TopicConsumers#start).
 */
public final class StoreProbe {

    /** Thrown at the end of the probe's work to roll its transaction back; its arrival means the work succeeded. */
    private static final class RollBack extends RuntimeException {
        RollBack() {
            super("the probe's transaction is rolled back", null, false, false);
        }
    }

    private StoreProbe() {
    }

    /**
     * @param work applies a trivially good record
     * @throws RuntimeException what the work (or the database) threw: the store refuses even a good record
     */
    public static void inRolledBackTransaction(Runnable work) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                work.run();
                throw new RollBack();
            });
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof RollBack) {
                    return;
                }
            }
            throw e;
        }
    }
}
