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

import io.rampart.controlplane.events.EventLogUnavailable;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.events.ReliableProducer;
import io.rampart.controlplane.events.Timestamps;
import io.rampart.controlplane.tenancy.Caller;
import io.rampart.controlplane.tenancy.Tenancy;
import io.rampart.protocol.audit.v1.Actor;
import io.rampart.protocol.audit.v1.AuditEvent;

/**
 * Records a person's change in the same transaction as the change itself, and on Kafka before
 * that transaction commits: if the audit cannot be written, the change does not happen.
 */
@ApplicationScoped
public class AuditLog {

    @Inject
    ReliableProducer producer;
    @Inject
    KafkaClients clients;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** A change to audit: what was done to which thing, and the thing before and after (null when absent). */
    public record Change(String action, String targetType, String targetId, Tenancy where, Object before, Object after) {
    }

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
                .setOccurredAt(Timestamps.of(now))
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
        try {
            producer.write(clients.auditTopic(), List.of(new ReliableProducer.Keyed(entry.providerId.toString(), event.toByteArray())));
        } catch (EventLogUnavailable e) {
            throw new AuditUnavailable(e);
        }
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

    /** The change is refused because its audit record could not be kept. */
    public static class AuditUnavailable extends RuntimeException {
        AuditUnavailable(EventLogUnavailable cause) {
            super("The audit log is unavailable, so the change was not made; try again shortly", cause);
        }
    }
}
