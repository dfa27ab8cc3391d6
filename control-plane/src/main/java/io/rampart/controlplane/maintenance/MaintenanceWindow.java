package io.rampart.controlplane.maintenance;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.Tenancy;

/**
 * Planned work at one practice, or at every practice of a group ({@code practiceId} null), from {@code startsAt} until
 * {@code endsAt}: nothing about it is emailed or called out meanwhile (see {@link MaintenanceWindows}). Never deleted: a
 * window ended early has {@code endsAt} moved to that moment and keeps {@code plannedEndsAt}; a cancelled one (only before it
 * started) keeps its times and says who cancelled it.
 */
@Entity
@Table(name = "maintenance_window")
public class MaintenanceWindow extends PanacheEntityBase {

    /** Where a window is in its life at a given instant. */
    public enum State {
        UPCOMING, ACTIVE, ENDED, CANCELLED
    }

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    /** Null: every practice of the group, those added later included. */
    public UUID practiceId;
    public Instant startsAt;
    /** When it ends: the planned end, or the moment it was ended early. */
    public Instant endsAt;
    public Instant plannedEndsAt;
    public String reason;
    /** Username of who scheduled it. */
    public String createdBy;
    public Instant createdAt;
    public Instant endedEarlyAt;
    public String endedEarlyBy;
    public Instant cancelledAt;
    public String cancelledBy;

    public State stateAt(Instant now) {
        if (cancelledAt != null) {
            return State.CANCELLED;
        }
        if (now.isBefore(startsAt)) {
            return State.UPCOMING;
        }
        return now.isBefore(endsAt) ? State.ACTIVE : State.ENDED;
    }

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }
}
