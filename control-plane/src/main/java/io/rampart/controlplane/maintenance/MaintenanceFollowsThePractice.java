package io.rampart.controlplane.maintenance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A moved practice takes its own windows that have not ended to its new group (that group's managers now manage them); the
 * old group's windows stop covering it, the new group's cover it (MaintenanceConditions reads the practice's group now).
 * Windows that ended keep the group they were in, as history does.
 */
@ApplicationScoped
public class MaintenanceFollowsThePractice {

    void onMoved(@Observes PracticeMoved move) {
        MaintenanceWindow.update("groupId = ?1 where practiceId = ?2 and endsAt > ?3", move.toGroupId(), move.practiceId(), move.at());
    }
}
