package io.rampart.controlplane.agents;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * Checks a batch from an agent before anything of it is written: a batch is taken whole or not
 * at all, so a refused batch loses nothing (the agent still holds every event).
 */
public final class EventBatchValidator {

    private EventBatchValidator() {
    }

    public static void validate(List<AgentEvent> events, AgentIdentity agent, int maxBatchSize) {
        if (events.size() > maxBatchSize) {
            throw AgentApiException.invalid("batch of " + events.size() + " events exceeds the limit of "
                    + maxBatchSize + "; send at most " + maxBatchSize + " per call");
        }
        Set<String> seen = new HashSet<>();
        String ownPractice = agent.tenancy().practiceId().toString();
        for (int i = 0; i < events.size(); i++) {
            AgentEvent event = events.get(i);
            String where = "event " + i + (event.getEventId().isEmpty() ? "" : " (" + event.getEventId() + ")");
            if (!isUuid(event.getEventId())) {
                throw AgentApiException.invalid(where + ": event_id must be a UUID");
            }
            if (!seen.add(event.getEventId())) {
                throw AgentApiException.invalid(where + ": event_id appears twice in the batch");
            }
            if (!event.getPracticeId().equals(ownPractice)) {
                throw AgentApiException.permissionDenied(where + " names practice '" + event.getPracticeId()
                        + "', but this agent is enrolled into practice " + ownPractice + " and may report only for it");
            }
            if (!event.hasOccurredAt() || event.getOccurredAt().getSeconds() <= 0) {
                throw AgentApiException.invalid(where + ": occurred_at is required");
            }
            switch (event.getPayloadCase()) {
                case HEARTBEAT -> {
                }
                case CHECK_RESULT -> validate(event.getCheckResult(), where);
                case AGENT_ENROLLED -> throw AgentApiException.invalid(where + ": agent_enrolled is written by the control plane, not by agents");
                case PAYLOAD_NOT_SET -> throw AgentApiException.invalid(where + ": no payload (heartbeat or check_result)");
            }
        }
    }

    private static void validate(CheckResult result, String where) {
        if (result.getCheckId().isBlank() || result.getCheckId().length() > 100) {
            throw AgentApiException.invalid(where + ": check_result.check_id is required (at most 100 characters)");
        }
        if (result.getStatus() == CheckStatus.CHECK_STATUS_UNSPECIFIED || result.getStatus() == CheckStatus.UNRECOGNIZED) {
            throw AgentApiException.invalid(where + ": check_result.status is required");
        }
        if (result.getSummary().length() > 4000) {
            throw AgentApiException.invalid(where + ": check_result.summary is longer than 4000 characters");
        }
    }

    private static boolean isUuid(String value) {
        try {
            return value.length() == 36 && UUID.fromString(value) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
