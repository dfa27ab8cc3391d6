package io.rampart.controlplane.fleet;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.rampart.controlplane.events.Timestamps;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Folds agent events into the fleet tables. Idempotent by event id: the event_history insert is
 * the guard, and an event already there changes nothing, so the topic can be replayed at will.
 * Must run inside the caller's transaction.
 */
@ApplicationScoped
public class FleetProjection {

    private static final OneofDescriptor DETAILS = CheckResult.getDescriptor().getOneofs().stream()
            .filter(oneof -> oneof.getName().equals("details")).findFirst().orElseThrow();
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    @Inject
    EntityManager entityManager;

    /** @return false when the event was already applied */
    public boolean apply(RecordedEvent recorded, int partition, long offset) {
        AgentEvent event = recorded.getEvent();
        UUID eventId = UUID.fromString(event.getEventId());
        Instant occurredAt = Timestamps.toInstant(event.getOccurredAt());
        Instant receivedAt = Timestamps.toInstant(recorded.getReceivedAt());
        UUID providerId = UUID.fromString(recorded.getProviderId());
        UUID groupId = UUID.fromString(recorded.getGroupId());
        UUID practiceId = UUID.fromString(recorded.getPracticeId());
        UUID agentId = UUID.fromString(recorded.getAgentId());

        CheckResult check = event.hasCheckResult() ? event.getCheckResult() : null;
        int inserted = entityManager.createNativeQuery("""
                insert into event_history (event_id, provider_id, group_id, practice_id, agent_id, type, check_id, status,
                    summary, occurred_at, received_at, kafka_partition, kafka_offset)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                on conflict (event_id) do nothing""")
                .setParameter(1, eventId).setParameter(2, providerId).setParameter(3, groupId)
                .setParameter(4, practiceId).setParameter(5, agentId).setParameter(6, type(event))
                .setParameter(7, check == null ? null : check.getCheckId())
                .setParameter(8, check == null ? null : CheckStatuses.name(check.getStatus()))
                .setParameter(9, summary(event)).setParameter(10, Timestamp.from(occurredAt))
                .setParameter(11, Timestamp.from(receivedAt)).setParameter(12, partition).setParameter(13, offset)
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }

        String hostname = event.hasHeartbeat() ? event.getHeartbeat().getHostname()
                : event.hasAgentEnrolled() ? event.getAgentEnrolled().getHostname() : null;
        String version = event.hasHeartbeat() ? event.getHeartbeat().getAgentVersion()
                : event.hasAgentEnrolled() ? event.getAgentEnrolled().getAgentVersion() : null;
        entityManager.createNativeQuery("""
                insert into agent_presence (agent_id, provider_id, group_id, practice_id, hostname, agent_version, last_seen_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                on conflict (agent_id) do update set
                    last_seen_at = greatest(agent_presence.last_seen_at, excluded.last_seen_at),
                    hostname = coalesce(excluded.hostname, agent_presence.hostname),
                    agent_version = coalesce(excluded.agent_version, agent_presence.agent_version)""")
                .setParameter(1, agentId).setParameter(2, providerId).setParameter(3, groupId).setParameter(4, practiceId)
                .setParameter(5, blankToNull(hostname)).setParameter(6, blankToNull(version))
                .setParameter(7, Timestamp.from(receivedAt))
                .executeUpdate();

        if (check != null) {
            // An older result delivered late (from an agent's outbox) never overwrites a newer one.
            entityManager.createNativeQuery("""
                    insert into check_state (provider_id, group_id, practice_id, check_id, kind, status, summary, details,
                        observed_at, event_id)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, cast(?8 as jsonb), ?9, ?10)
                    on conflict (practice_id, check_id) do update set
                        kind = excluded.kind, status = excluded.status, summary = excluded.summary,
                        details = excluded.details, observed_at = excluded.observed_at, event_id = excluded.event_id
                    where check_state.observed_at <= excluded.observed_at""")
                    .setParameter(1, providerId).setParameter(2, groupId).setParameter(3, practiceId)
                    .setParameter(4, check.getCheckId()).setParameter(5, CheckStatuses.kind(check.getKind()))
                    .setParameter(6, CheckStatuses.name(check.getStatus())).setParameter(7, check.getSummary())
                    .setParameter(8, details(check)).setParameter(9, Timestamp.from(occurredAt)).setParameter(10, eventId)
                    .executeUpdate();
        }
        return true;
    }

    private static String type(AgentEvent event) {
        return switch (event.getPayloadCase()) {
            case HEARTBEAT -> "HEARTBEAT";
            case CHECK_RESULT -> "CHECK_RESULT";
            case AGENT_ENROLLED -> "AGENT_ENROLLED";
            case PAYLOAD_NOT_SET -> "UNKNOWN";
        };
    }

    private static String summary(AgentEvent event) {
        return switch (event.getPayloadCase()) {
            case HEARTBEAT -> "Heartbeat from " + event.getHeartbeat().getHostname()
                    + (event.getHeartbeat().getOutboxDepth() > 0 ? " (" + event.getHeartbeat().getOutboxDepth() + " events waiting)" : "");
            case CHECK_RESULT -> event.getCheckResult().getCheckId() + ": " + event.getCheckResult().getSummary();
            case AGENT_ENROLLED -> "Agent enrolled from " + event.getAgentEnrolled().getHostname()
                    + " (" + event.getAgentEnrolled().getOperatingSystem() + ")";
            case PAYLOAD_NOT_SET -> "Event of a kind this control plane does not know";
        };
    }

    /** The result's details (whichever observation its kind carries) as protobuf JSON, camelCase. */
    private static String details(CheckResult check) {
        FieldDescriptor field = check.getOneofFieldDescriptor(DETAILS);
        if (field == null) {
            return "{}";
        }
        try {
            return JSON.print((Message) check.getField(field));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("A parsed message always prints", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
