package io.rampart.controlplane.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * Keeps a consumer's session (one KafkaConsumer polling until stopped) going: a session that ends
 * with an unexpected exception while the consumer should run is started again after a pause, 1 s
 * doubling up to the maximum, and counted ({@code rampart.consumer.restarts} through ConsumerProgress).
 * A session that ran for longer than the maximum pause before it died starts the pauses over.
 */
public final class ConsumerSupervisor implements Runnable {

    private static final Logger LOG = Logger.getLogger(ConsumerSupervisor.class);

    /** Waits between two sessions; returns early (false) when the consumer is being stopped. */
    @FunctionalInterface
    public interface Pause {
        boolean pause(Duration duration);
    }

    private final ConsumerProgress progress;
    private final Runnable session;
    private final BooleanSupplier shouldRun;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Clock clock;
    private final Pause pause;

    /**
     * @param session one KafkaConsumer's life; returns when the consumer is stopped, throws when it died
     * @param shouldRun false once the consumer is being stopped
     */
    public ConsumerSupervisor(ConsumerProgress progress, Runnable session, BooleanSupplier shouldRun, Duration firstPause,
            Duration maxPause, Clock clock, Pause pause) {
        this.progress = progress;
        this.session = session;
        this.shouldRun = shouldRun;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        this.clock = clock;
        this.pause = pause;
    }

    @Override
    public void run() {
        Duration next = firstPause;
        try {
            while (shouldRun.getAsBoolean()) {
                Instant started = clock.instant();
                try {
                    progress.state(ConsumerProgress.State.RUNNING);
                    session.run();
                } catch (RuntimeException | Error e) {
                    if (!shouldRun.getAsBoolean()) {
                        return;
                    }
                    if (Duration.between(started, clock.instant()).compareTo(maxPause) > 0) {
                        next = firstPause;
                    }
                    progress.state(ConsumerProgress.State.RESTARTING);
                    progress.restarted();
                    LOG.errorf(e, "%s died; starting it again in %d ms", progress.name(), next.toMillis());
                    if (!pause.pause(next)) {
                        return;
                    }
                    next = next.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : next.multipliedBy(2);
                }
            }
        } finally {
            progress.state(ConsumerProgress.State.STOPPED);
        }
    }
}
