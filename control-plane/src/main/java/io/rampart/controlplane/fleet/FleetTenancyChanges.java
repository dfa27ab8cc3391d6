package io.rampart.controlplane.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A moved practice's fleet projections (its agents' presence, its checks' latest state) belong to its new group, so the
 * new group's people see them and the old group's no longer do; its event history keeps the group each event was sent
 * under. A decommissioned practice's projections stay as they were, read-only (the fleet lists only live practices).
 */
@ApplicationScoped
public class FleetTenancyChanges {

    void onMoved(@Observes PracticeMoved move) {
        AgentPresence.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
        CheckState.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
    }
}
