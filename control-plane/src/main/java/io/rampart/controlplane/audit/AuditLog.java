package io.rampart.controlplane.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.events.EventOutbox;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.audit.v1.Actor;
import io.rampart.protocol.audit.v1.AuditEvent;

/**
 * Records a person's change in the same transaction as the change itself: the audit_entry row and
 * the AuditEvent for the audit topic (keyed by provider) in the transactional outbox. If the audit
 * cannot be written, the transaction fails and the change does not happen; once it commits, the
 * record reaches Kafka even if Kafka is down at that moment (OutboxRelay sends it when Kafka takes
 * it, at least once, so an audit consumer dedupes by AuditEvent.event_id, the audit_entry id).
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    EventOutbox outbox;
    @Inject
    KafkaClients clients;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** A change to audit: what was done to which thing, and the thing before and after (null when absent). */
    public record Change(String action, String targetType, String targetId, Tenancy where, Object before, Object after) {
    }

    /** Adds the audit record to the caller's transaction (which must exist); nothing is kept if it rolls back. */
    @Transactional(TxType.MANDATORY)
    public void record(Caller caller, Change change) {
        Instant now = clock.instant();
        AuditEntry entry = new AuditEntry();
        entry.id = UUID.randomUUID();
        entry.providerId = change.where().providerId();
        entry.groupId = change.where().groupId();
        entry.practiceId = change.where().practiceId();
        entry.occurredAt = now;
        entry.actorSubject = caller.subject();
        entry.actorUsername = caller.username();
        entry.actorRole = caller.role().claimValue();
        entry.action = change.action();
        entry.targetType = change.targetType();
        entry.targetId = change.targetId();
        entry.before = toJson(change.before());
        entry.after = toJson(change.after());
        entry.persist();

        AuditEvent event = AuditEvent.newBuilder()
                .setEventId(entry.id.toString())
                .setOccurredAt(ProtoTime.timestamp(now))
                .setActor(Actor.newBuilder().setSubject(entry.actorSubject).setUsername(entry.actorUsername).setRole(entry.actorRole))
                .setProviderId(entry.providerId.toString())
                .setGroupId(entry.groupId == null ? "" : entry.groupId.toString())
                .setPracticeId(entry.practiceId == null ? "" : entry.practiceId.toString())
                .setAction(entry.action)
                .setTargetType(entry.targetType)
                .setTargetId(entry.targetId)
                .setBeforeJson(entry.before == null ? "" : entry.before)
                .setAfterJson(entry.after == null ? "" : entry.after)
                .build();
        outbox.add(List.of(new EventOutbox.Entry(clients.auditTopic(), entry.providerId.toString(), entry.id, event.toByteArray())));
    }

    private String toJson(Object state) {
        if (state == null) {
            return null;
        }
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An audited state must be serialisable", e);
        }
    }
}
