package io.rampart.agent.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;

import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * Which events of a batch the control plane refused, read from the {@code google.rpc.BadRequest} detail of its
 * INVALID_ARGUMENT (the contract on {@code rpc ReportEvents}): one field violation per bad event, its field
 * {@code events[<index in the request>].<path>} and its description a sentence naming the event.
 */
final class RefusedEvents {

    private static final Pattern EVENT_FIELD = Pattern.compile("events\\[(\\d{1,9})\\](?:\\.(.*))?");

    private RefusedEvents() {
    }

    /**
     * The reason for each refused event, by its index in the batch of {@code batchSize} events; empty when the status
     * carries no usable BadRequest (no detail, or no violation naming an event of this batch).
     */
    static Map<Integer, String> in(StatusRuntimeException refusal, int batchSize) {
        Map<Integer, String> reasons = new TreeMap<>();
        com.google.rpc.Status status = StatusProto.fromThrowable(refusal);
        if (status == null) {
            return reasons;
        }
        for (Any detail : status.getDetailsList()) {
            if (!detail.is(BadRequest.class)) {
                continue;
            }
            BadRequest badRequest;
            try {
                badRequest = detail.unpack(BadRequest.class);
            } catch (InvalidProtocolBufferException e) {
                continue;
            }
            for (BadRequest.FieldViolation violation : badRequest.getFieldViolationsList()) {
                Matcher field = EVENT_FIELD.matcher(violation.getField().trim());
                if (!field.matches()) {
                    continue;
                }
                int index = Integer.parseInt(field.group(1));
                if (index >= batchSize) {
                    continue;
                }
                String reason = violation.getDescription().isBlank() ? "no reason given" : violation.getDescription().trim();
                String path = field.group(2) == null || field.group(2).isBlank() ? "" : " (field " + field.group(2) + ")";
                reasons.merge(index, reason + path, (a, b) -> a + "; " + b);
            }
        }
        return reasons;
    }
}
