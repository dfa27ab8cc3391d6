package io.rampart.controlplane.fleet;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Every event once, by id: the history page and the guard that makes replays harmless. */
@Entity
@Table(name = "event_history")
public class EventHistory extends PanacheEntityBase {

    @Id
    public UUID eventId;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public UUID agentId;
    public String type;
    public String checkId;
    /** Null for an event that is not a check result. */
    @Enumerated(EnumType.STRING)
    public CheckOutcome status;
    public String summary;
    public Instant occurredAt;
    public Instant receivedAt;
    public int kafkaPartition;
    public long kafkaOffset;
}
