package io.rampart.controlplane.agents;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * What the gRPC ingest (ReportEvents) took and refused, in events (not calls):
 * <ul>
 * <li>{@code rampart.agents.events.ingested} (Prometheus {@code rampart_agents_events_ingested_total}): events the
 * event log (Kafka) took and the agent was told so.</li>
 * <li>{@code rampart.agents.events.refused} ({@code rampart_agents_events_refused_total}), tag {@code reason}, a fixed
 * vocabulary ({@link Refusal}): events of refused calls. For {@code invalid_event} only the events named as bad are
 * counted (the rest of the batch comes again at once); for every other reason each event of the call.</li>
 * </ul>
 * A call larger than {@code quarkus.grpc.server.max-inbound-message-size} is refused by gRPC before it is read and is
 * not counted here. Every reason's series exists from startup at 0, so rates and alerts see it before the first refusal.
 */
@ApplicationScoped
@Startup // its series exist from the start, at 0, before anything happens
public class IngestMeters {

    /** Why ReportEvents refused a call; the tag value is the lower-case name. */
    public enum Refusal {
        /** INVALID_ARGUMENT naming events no store can take (google.rpc.BadRequest) */
        INVALID_EVENT,
        /** INVALID_ARGUMENT: more events in one call than {@code rampart.agents.max-batch-size} */
        BATCH_TOO_LARGE,
        /** PERMISSION_DENIED: an event names another practice than the agent's own */
        WRONG_PRACTICE,
        /** RESOURCE_EXHAUSTED: the agent called faster than {@code rampart.agents.rate-per-second} */
        RATE_LIMITED,
        /** UNAUTHENTICATED: an unknown or revoked agent, or its practice is gone */
        UNAUTHENTICATED,
        /** UNAVAILABLE: Kafka did not take the batch; the agent keeps it and retries */
        EVENT_LOG_UNAVAILABLE,
        /** any other status: a refusal this list does not name yet (the server log says which) */
        OTHER;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Counter ingested;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

    @Inject
    public IngestMeters(MeterRegistry registry) {
        ingested = Counter.builder("rampart.agents.events.ingested")
                .description("Events agents reported that the event log (Kafka) took").register(registry);
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, Counter.builder("rampart.agents.events.refused").tag("reason", reason.tag())
                    .description("Events of ReportEvents calls the control plane refused, by reason; nothing of a refused call is kept")
                    .register(registry));
        }
    }

    /** {@code events} were written to the event log. */
    public void ingested(int events) {
        ingested.increment(events);
    }

    /** A ReportEvents call of {@code batchSize} events was refused with {@code refusal}; counts as the class comment says. */
    public void refused(AgentApiException refusal, int batchSize) {
        Refusal reason = reasonOf(refusal);
        int events = reason == Refusal.INVALID_EVENT ? refusal.badRequest().getFieldViolationsCount() : batchSize;
        refused.get(reason).increment(events);
    }

    /** The reason of a refusal, from its gRPC status (see {@link Refusal}). */
    static Refusal reasonOf(AgentApiException refusal) {
        return switch (refusal.code()) {
            case INVALID_ARGUMENT -> refusal.badRequest() != null ? Refusal.INVALID_EVENT : Refusal.BATCH_TOO_LARGE;
            case PERMISSION_DENIED -> Refusal.WRONG_PRACTICE;
            case RESOURCE_EXHAUSTED -> Refusal.RATE_LIMITED;
            case UNAVAILABLE -> Refusal.EVENT_LOG_UNAVAILABLE;
            case UNAUTHENTICATED -> Refusal.UNAUTHENTICATED;
            default -> Refusal.OTHER;
        };
    }
}
