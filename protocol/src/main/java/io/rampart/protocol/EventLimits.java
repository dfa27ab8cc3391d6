package io.rampart.protocol;

import java.util.Map;

import com.google.protobuf.Descriptors.FieldDescriptor;

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

    /** The longest free text accepted in one string field, in chars (tool output, a report's message, a label). */
    public static final int MAX_TEXT_CHARS = 8000;
    /** The longest identifier (a field named {@code id} or {@code *_id}: snapshot ids, media ids), in chars. */
    public static final int MAX_ID_CHARS = 200;
    /** The longest check id (the policy's check ids), in chars. */
    public static final int MAX_CHECK_ID_CHARS = 100;
    /** The longest summary of a check result, in chars: what a person reads on the practice page. */
    public static final int MAX_SUMMARY_CHARS = 4000;
    /** Fields with a tighter limit than their kind's, by full protobuf name. */
    private static final Map<String, Integer> OWN_MAX_CHARS = Map.of(
            "rampart.agent.v1.CheckResult.check_id", MAX_CHECK_ID_CHARS,
            "rampart.agent.v1.RestoreTestObservation.source_check_id", MAX_CHECK_ID_CHARS,
            "rampart.agent.v1.CheckResult.summary", MAX_SUMMARY_CHARS,
            "rampart.agent.v1.AgentEvent.event_id", 36,
            "rampart.agent.v1.AgentEvent.practice_id", 36);

    /**
     * The most characters (UTF-16 chars, as Java counts them) a string field of an agent's event may hold: the
     * control plane refuses more, and the agent shortens its results to fit.
     */
    public static int maxChars(FieldDescriptor field) {
        Integer own = OWN_MAX_CHARS.get(field.getFullName());
        if (own != null) {
            return own;
        }
        return field.getName().equals("id") || field.getName().endsWith("_id") ? MAX_ID_CHARS : MAX_TEXT_CHARS;
    }

    private EventLimits() {
    }
}
