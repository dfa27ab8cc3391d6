package io.rampart.agent.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.CodedOutputStream;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.agent.AgentVersion;
import io.rampart.agent.outbox.Outbox;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;

/**
 * Drains the outbox to the control plane in batches. Events leave the outbox only once acknowledged;
 * whatever goes wrong on the way, they stay and are sent again later (the control plane keeps each
 * event id once, so a repeat is harmless). The one exception is an event that can never be delivered: one the
 * control plane refuses (INVALID_ARGUMENT, naming it in a google.rpc.BadRequest, or found by sending halves of the
 * batch when it names none) or one over {@link EventLimits#MAX_EVENT_BYTES}. It is set aside on disk with the reason
 * (see {@link io.rampart.agent.outbox.SetAside}) and the rest is sent at once, so it never blocks the outbox.
 * A request never exceeds {@link EventLimits#MAX_BATCH_BYTES} nor the configured number of events.
 */
public final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());
    /** How long the loop rests with an empty outbox when nobody wakes it. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(5);
    /** Room for ReportEventsRequest.sent_at (a Timestamp: tag, length, seconds and nanos), in bytes. */
    private static final int SENT_AT_BYTES = 32;

    private final Outbox outbox;
    private final ControlPlaneClient client;
    private final IntSupplier maxBatchSize;
    private final Backoff backoff;
    private final IntConsumer afterAcknowledged;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean stopped;

    /**
     * @param maxBatchSize the configuration's current limit, asked before every batch
     * @param afterAcknowledged told after each batch how many of its events the control plane acknowledged
     */
    public Delivery(Outbox outbox, ControlPlaneClient client, IntSupplier maxBatchSize, Backoff backoff,
            IntConsumer afterAcknowledged) {
        this.outbox = outbox;
        this.client = client;
        this.maxBatchSize = maxBatchSize;
        this.backoff = backoff;
        this.afterAcknowledged = afterAcknowledged;
    }

    /**
     * One attempt to empty the outbox. Returns how many events the control plane acknowledged.
     * Throws the gRPC failure when the control plane is unreachable or refuses the agent.
     * Synchronized so the loop and another caller never send the same batch side by side.
     */
    public synchronized int deliverNow() {
        int acknowledged = 0;
        while (true) {
            List<AgentEvent> peeked = outbox.peek(Math.max(1, maxBatchSize.getAsInt()), EventLimits.MAX_BATCH_BYTES);
            if (peeked.isEmpty()) {
                return acknowledged;
            }
            List<AgentEvent> batch = new ArrayList<>();
            int tooLarge = 0;
            for (AgentEvent event : peeked) {
                int size = event.getSerializedSize();
                if (size > EventLimits.MAX_EVENT_BYTES) {
                    outbox.setAside(event.getEventId(), tooLargeReason(size));
                    tooLarge++;
                } else {
                    batch.add(event);
                }
            }
            batch = withinRequestLimit(batch);
            Outcome outcome = new Outcome(0, tooLarge).plus(batch.isEmpty() ? new Outcome(0, 0) : deliver(batch));
            acknowledged += outcome.acknowledged();
            if (outcome.acknowledged() > 0) {
                afterAcknowledged.accept(outcome.acknowledged());
            }
            if (outcome.acknowledged() + outcome.setAside() == 0) {
                // nothing was acknowledged or set aside: sending the same batch again now would spin
                LOG.warning("the control plane acknowledged none of a batch of " + peeked.size() + " events; trying again later");
                return acknowledged;
            }
        }
    }

    /** What became of a batch: acknowledged by the control plane, or set aside as invalid. */
    private record Outcome(int acknowledged, int setAside) {
        Outcome plus(Outcome other) {
            return new Outcome(acknowledged + other.acknowledged, setAside + other.setAside);
        }
    }

    private Outcome deliver(List<AgentEvent> batch) {
        ReportEventsResponse response;
        try {
            response = client.report(batch);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                throw e;
            }
            return refused(batch, e);
        }
        Set<String> sent = new HashSet<>();
        batch.forEach(event -> sent.add(event.getEventId()));
        List<String> acknowledged = response.getAcknowledgedEventIdsList().stream().filter(sent::contains).toList();
        outbox.remove(acknowledged);
        return new Outcome(acknowledged.size(), 0);
    }

    /**
     * The control plane took none of the batch. It names the events it can never store: those are set aside and the
     * rest is sent again by the caller's next round. When it names none, halves are sent until the refused events
     * stand alone (about log2(batch) calls per refused event); each is set aside with the control plane's message.
     */
    private Outcome refused(List<AgentEvent> batch, StatusRuntimeException refusal) {
        Map<Integer, String> named = RefusedEvents.in(refusal, batch.size());
        if (!named.isEmpty()) {
            named.forEach((index, reason) -> outbox.setAside(batch.get(index).getEventId(), "refused by the control plane: " + reason));
            return new Outcome(0, named.size());
        }
        String message = refusal.getStatus().getDescription() == null ? "no reason given" : refusal.getStatus().getDescription();
        if (batch.size() == 1) {
            outbox.setAside(batch.get(0).getEventId(), "refused by the control plane: " + message);
            return new Outcome(0, 1);
        }
        LOG.info(() -> "the control plane refused a batch of " + batch.size() + " events without naming the bad ones (" + message
                + "); sending halves to find them");
        int half = batch.size() / 2;
        return deliver(batch.subList(0, half)).plus(deliver(batch.subList(half, batch.size())));
    }

    /** The longest start of {@code events} whose ReportEventsRequest stays within {@link EventLimits#MAX_BATCH_BYTES}. */
    static List<AgentEvent> withinRequestLimit(List<AgentEvent> events) {
        long size = SENT_AT_BYTES;
        int fit = 0;
        for (AgentEvent event : events) {
            size += CodedOutputStream.computeMessageSize(ReportEventsRequest.EVENTS_FIELD_NUMBER, event);
            if (size > EventLimits.MAX_BATCH_BYTES) {
                break;
            }
            fit++;
        }
        return fit == events.size() ? events : events.subList(0, fit);
    }

    static String tooLargeReason(int size) {
        return "the event is " + size + " bytes serialised, over the " + EventLimits.MAX_EVENT_BYTES
                + " bytes (256 KiB) the control plane accepts for one event; it is never sent. The collector that made it"
                + " should report less: please tell your IT provider (agent version " + AgentVersion.current() + ")";
    }

    /** Tells a waiting loop that there is something new to send. */
    public void wakeUp() {
        wakeUp.release();
    }

    /** Delivers until {@link #stop()}: right away when woken, with back-off after a failure. */
    public void runUntilStopped() {
        while (!stopped) {
            Duration wait;
            try {
                int acknowledged = deliverNow();
                backoff.reset();
                if (acknowledged > 0) {
                    LOG.fine(() -> "delivered " + acknowledged + " events");
                }
                wait = IDLE_WAIT;
            } catch (StatusRuntimeException e) {
                wait = waitAfter(e.getStatus());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "delivery failed, will retry: " + e, e);
                wait = backoff.next();
            }
            try {
                if (wakeUp.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void stop() {
        stopped = true;
        wakeUp.release();
    }

    private Duration waitAfter(Status status) {
        switch (status.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> {
                LOG.severe("the control plane refused this agent's credential (" + status.getCode()
                        + "): events stay in the outbox; if the agent was removed, enrol it again with `rampart-agent enroll`");
                return backoff.cap();
            }
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> {
                Duration wait = backoff.next();
                LOG.info("control plane not reachable (" + status.getCode() + "); events kept: " + outbox.size()
                        + "; next attempt in " + wait.toMillis() + " ms");
                return wait;
            }
            default -> {
                Duration wait = backoff.next();
                LOG.warning("delivery failed (" + status.getCode() + ": " + status.getDescription() + "), events kept; next attempt in "
                        + wait.toMillis() + " ms");
                return wait;
            }
        }
    }
}
