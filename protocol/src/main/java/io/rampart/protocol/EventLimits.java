package io.rampart.protocol;

/**
 * Sizes the agent and the control plane agree on, so that no event or batch is ever retried for ever
 * because a hop after the agent cannot take it.
 *
 * <p>Where they come from: gRPC refuses a message over the server's
 * {@code quarkus.grpc.server.max-inbound-message-size} (4 MiB here) with RESOURCE_EXHAUSTED, and a Kafka
 * producer refuses a record over {@code max.request.size} (1 MiB by default, as is the broker's
 * {@code message.max.bytes}) with RecordTooLargeException. Both limits stay well above these.
 */
public final class EventLimits {

    /** The largest serialised AgentEvent the control plane accepts, in bytes (256 KiB). */
    public static final int MAX_EVENT_BYTES = 256 * 1024;
    /** The largest serialised ReportEventsRequest an agent sends, in bytes (3 MiB, under gRPC's 4 MiB). */
    public static final int MAX_BATCH_BYTES = 3 * 1024 * 1024;

    private EventLimits() {
    }
}
