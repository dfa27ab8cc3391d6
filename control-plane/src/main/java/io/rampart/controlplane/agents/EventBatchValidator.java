package io.rampart.controlplane.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;

import io.rampart.controlplane.agents.StorableValues.Problem;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * Checks a batch from an agent before anything of it is written: a batch is taken whole or not at all, so a
 * refused batch loses nothing (the agent still holds every event).
 *
 * <p>Every event is checked for what the stores after Kafka accept (see {@link StorableValues}), for a sane
 * {@code occurred_at} against the control plane's clock, and for its size ({@link EventLimits#MAX_EVENT_BYTES}).
 * All bad events of a batch are named at once: INVALID_ARGUMENT with a google.rpc.BadRequest holding one
 * FieldViolation per bad event, its field {@code events[<index>].<path>} and its description a sentence naming
 * the event id. The agent sets those aside and sends the rest again.
 */
public final class EventBatchValidator {

    /** An occurred_at before this is a clock that was never set (or a bug), not an observation. */
    public static final Instant EARLIEST_OCCURRED_AT = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * How far ahead of the control plane's clock an occurred_at may be. Generous on purpose: an agent whose clock
     * runs hours or months ahead is still heard (its offset is shown, issue 11); years ahead is no observation.
     */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);
    /**
     * The most bytes of BadRequest detail in one refusal. It travels in a gRPC trailer, and gRPC clients take at
     * most 8 KiB of metadata by default (grpc-java's maxInboundMetadataSize): a refusal naming 500 events would
     * reach the agent as a metadata error instead. The trailer carries the detail base64-encoded (4/3 of it) inside a
     * serialised Status that repeats the message, next to grpc-message: 2 KiB keeps the whole well under 8 KiB. Events
     * beyond it are named when the rest is sent again.
     */
    static final int MAX_DETAIL_BYTES = 2048;
    private static final int MAX_DESCRIPTION_CHARS = 400;
    private static final int VIOLATIONS_IN_MESSAGE = 3;

    private EventBatchValidator() {
    }

    /**
     * @param now the control plane's clock, against which occurred_at is judged
     * @throws AgentApiException INVALID_ARGUMENT when the batch is too long or events of it can never be stored
     *                           (with a BadRequest naming them), PERMISSION_DENIED when an event names another practice
     */
    public static void validate(List<AgentEvent> events, AgentIdentity agent, int maxBatchSize, Instant now) {
        if (events.size() > maxBatchSize) {
            throw AgentApiException.invalid("batch of " + events.size() + " events exceeds the limit of "
                    + maxBatchSize + "; send at most " + maxBatchSize + " per call");
        }
        String ownPractice = agent.tenancy().practiceId().toString();
        for (int i = 0; i < events.size(); i++) {
            AgentEvent event = events.get(i);
            if (!event.getPracticeId().equals(ownPractice)) {
                throw AgentApiException.permissionDenied(label(i, event) + " names practice '" + printable(event.getPracticeId())
                        + "', but this agent is enrolled into practice " + ownPractice + " and may report only for it");
            }
        }
        Set<String> seen = new HashSet<>();
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            List<Problem> problems = problemsOf(events.get(i), seen, now);
            if (!problems.isEmpty()) {
                violations.add(violation(i, events.get(i), problems));
            }
        }
        if (!violations.isEmpty()) {
            throw refusal(violations, events.size());
        }
    }

    /**
     * Everything wrong with one event the control plane made itself (a ping URL's check result), by the same rules as
     * an agent's: empty when it can be stored.
     *
     * @param now the control plane's clock, against which occurred_at is judged
     */
    public static List<Problem> problemsOf(AgentEvent event, Instant now) {
        return problemsOf(event, new HashSet<>(), now);
    }

    /** Everything wrong with one event, the most basic first; empty when it can be stored. */
    static List<Problem> problemsOf(AgentEvent event, Set<String> seenIds, Instant now) {
        List<Problem> problems = new ArrayList<>();
        if (!isUuid(event.getEventId())) {
            problems.add(new Problem("event_id", "event_id must be a UUID"));
        } else if (!seenIds.add(event.getEventId())) {
            problems.add(new Problem("event_id", "event_id appears twice in the batch"));
        }
        List<Problem> values = StorableValues.problemsOf(event);
        boolean occurredAtReadable = values.stream().noneMatch(p -> p.path().equals("occurred_at"));
        if (!event.hasOccurredAt()) {
            problems.add(new Problem("occurred_at", "occurred_at is required"));
        } else if (occurredAtReadable) {
            occurredAtProblem(StorableValues.instant(event.getOccurredAt()), now).ifPresent(problems::add);
        }
        switch (event.getPayloadCase()) {
            case HEARTBEAT -> {
            }
            case CHECK_RESULT -> problems.addAll(checkResultProblems(event.getCheckResult()));
            case AGENT_ENROLLED -> problems.add(new Problem("agent_enrolled", "agent_enrolled is written by the control plane, not by agents"));
            case PAYLOAD_NOT_SET -> problems.add(new Problem("payload", "no payload (heartbeat or check_result)"));
        }
        problems.addAll(values);
        int size = event.getSerializedSize();
        if (size > EventLimits.MAX_EVENT_BYTES) {
            problems.add(new Problem("", "the event is " + size + " bytes serialised; the control plane accepts at most "
                    + EventLimits.MAX_EVENT_BYTES + " bytes per event (EventLimits.MAX_EVENT_BYTES)"));
        }
        return problems;
    }

    private static Optional<Problem> occurredAtProblem(Instant occurredAt, Instant now) {
        if (occurredAt.isBefore(EARLIEST_OCCURRED_AT)) {
            return Optional.of(new Problem("occurred_at", "occurred_at is " + occurredAt + ", before "
                    + EARLIEST_OCCURRED_AT + ": the agent's computer's clock is not set; set it from NTP"));
        }
        if (occurredAt.isAfter(now.plus(MAX_AHEAD))) {
            return Optional.of(new Problem("occurred_at", "occurred_at is " + occurredAt + ", more than "
                    + MAX_AHEAD.toDays() + " days ahead of the control plane's clock (" + now
                    + "): the agent's computer's clock is wrong; set it from NTP"));
        }
        return Optional.empty();
    }

    private static List<Problem> checkResultProblems(CheckResult result) {
        List<Problem> problems = new ArrayList<>();
        if (result.getCheckId().isBlank()) {
            problems.add(new Problem("check_result.check_id", "check_result.check_id is required (at most 100 characters)"));
        }
        if (result.getStatus() == CheckStatus.CHECK_STATUS_UNSPECIFIED || result.getStatus() == CheckStatus.UNRECOGNIZED) {
            problems.add(new Problem("check_result.status", "check_result.status is required"));
        }
        return problems;
    }

    private static FieldViolation violation(int index, AgentEvent event, List<Problem> problems) {
        Problem first = problems.get(0);
        String description = label(index, event) + ": " + first.words();
        if (problems.size() > 1) {
            description += " (and " + (problems.size() - 1) + " more: "
                    + String.join(", ", problems.subList(1, problems.size()).stream().map(p -> p.path().isEmpty() ? "size" : p.path()).toList())
                    + ")";
        }
        if (description.length() > MAX_DESCRIPTION_CHARS) {
            description = description.substring(0, MAX_DESCRIPTION_CHARS - 3) + "...";
        }
        return FieldViolation.newBuilder()
                .setField("events[" + index + "]" + (first.path().isEmpty() ? "" : "." + first.path()))
                .setDescription(description)
                .build();
    }

    private static AgentApiException refusal(List<FieldViolation> violations, int batchSize) {
        BadRequest.Builder detail = BadRequest.newBuilder();
        for (FieldViolation violation : violations) {
            if (detail.getFieldViolationsCount() > 0 && detail.build().getSerializedSize()
                    + violation.getSerializedSize() + 4 > MAX_DETAIL_BYTES) {
                break;
            }
            detail.addFieldViolations(violation);
        }
        int named = detail.getFieldViolationsCount();
        StringBuilder message = new StringBuilder().append(violations.size()).append(" of ").append(batchSize)
                .append(batchSize == 1 ? " event" : " events").append(" can never be stored: ");
        for (int i = 0; i < Math.min(VIOLATIONS_IN_MESSAGE, violations.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(violations.get(i).getField()).append(": ").append(violations.get(i).getDescription());
        }
        if (violations.size() > VIOLATIONS_IN_MESSAGE) {
            message.append("; and ").append(violations.size() - VIOLATIONS_IN_MESSAGE).append(" more");
        }
        message.append(". Nothing of this batch was kept: set ")
                .append(named == violations.size() ? (named == 1 ? "the event named" : "the events named")
                        : "the " + named + " events named (the others are named when the rest is sent again)")
                .append(" aside and send the rest again");
        return AgentApiException.invalid(message.toString(), detail.build());
    }

    /** "event 7c1e...": by its id when it has one, else by its place in the batch and what it carries. */
    private static String label(int index, AgentEvent event) {
        if (isUuid(event.getEventId())) {
            return "event " + event.getEventId();
        }
        return "event " + index + (event.getEventId().isEmpty() ? " (no id)" : " (" + printable(event.getEventId()) + ")");
    }

    /** A value an agent sent, safe to quote: at most 40 characters, with anything unprintable as '?'. */
    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || (c >= 0xD800 && c <= 0xDFFF) ? '?' : c));
        return out.toString();
    }

    private static boolean isUuid(String value) {
        try {
            return value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
