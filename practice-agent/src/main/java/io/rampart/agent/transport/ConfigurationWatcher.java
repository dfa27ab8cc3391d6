package io.rampart.agent.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import io.grpc.Status;

import io.rampart.protocol.agent.v1.AgentConfiguration;

/**
 * Keeps a WatchConfiguration stream open to the control plane, so a new configuration arrives within seconds of the
 * change; reopens it after it ends, waiting by {@link Backoff} (the cap, 60 s, after a refusal or for a control plane
 * that does not know the call yet). The agent's 5-minute GetConfiguration poll stays as the fallback, and a poll that
 * finds a version the watch did not bring reopens the watch ({@link #reopen()}): it may have died silently.
 */
public final class ConfigurationWatcher {

    private static final Logger LOG = Logger.getLogger(ConfigurationWatcher.class.getName());

    private final ControlPlaneClient client;
    private final LongSupplier knownVersion;
    private final Consumer<AgentConfiguration> apply;
    private final Backoff backoff;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Runnable cancelCurrent = () -> {
    };
    private volatile boolean reopenRequested;

    public ConfigurationWatcher(ControlPlaneClient client, LongSupplier knownVersion, Consumer<AgentConfiguration> apply, Backoff backoff) {
        this.client = client;
        this.knownVersion = knownVersion;
        this.apply = apply;
        this.backoff = backoff;
    }

    /** Watches until {@link #stop()}; run it on a thread of its own. */
    public void runUntilStopped() {
        while (stopped.getCount() > 0) {
            CompletableFuture<Throwable> end = new CompletableFuture<>();
            cancelCurrent = client.watchConfiguration(knownVersion.getAsLong(), configuration -> {
                backoff.reset();
                apply.accept(configuration);
            }, error -> end.complete(error == null ? Status.UNAVAILABLE.withDescription("the control plane ended the watch").asException() : error));
            Throwable error;
            try {
                error = end.get();
            } catch (InterruptedException e) {
                cancelCurrent.run();
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                error = e.getCause();
            }
            if (stopped.getCount() == 0) {
                return;
            }
            Status status = Status.fromThrowable(error);
            Duration wait = switch (status.getCode()) {
                case UNIMPLEMENTED, UNAUTHENTICATED, PERMISSION_DENIED -> backoff.cap();
                default -> backoff.next();
            };
            if (reopenRequested) {
                reopenRequested = false;
                wait = Duration.ZERO;
            }
            Duration waited = wait;
            LOG.fine(() -> "configuration watch ended (" + status.getCode() + ": " + status.getDescription() + "); watching again in "
                    + waited.toMillis() + " ms");
            try {
                if (stopped.await(waited.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the current stream; the loop opens a new one at once. */
    public void reopen() {
        reopenRequested = true;
        cancelCurrent.run();
    }

    public void stop() {
        stopped.countDown();
        cancelCurrent.run();
    }
}
