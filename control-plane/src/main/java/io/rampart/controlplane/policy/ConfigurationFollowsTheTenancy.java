package io.rampart.controlplane.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.rampart.controlplane.tenancy.GroupArchiveChanged;
import io.rampart.controlplane.tenancy.PracticeDecommissioned;
import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A practice moved or decommissioned, a group archived or un-archived: the agents' configuration changes with it
 * ({@link ConfigurationChanges}, inside the tenancy change's transaction). Tenancy announces its changes as events,
 * so it does not depend on policy, which depends on tenancy.
 */
@ApplicationScoped
public class ConfigurationFollowsTheTenancy {

    @Inject
    ConfigurationChanges configuration;

    void onMoved(@Observes PracticeMoved move) {
        configuration.practiceChanged(move.providerId(), move.toGroupId(), move.practiceId());
    }

    void onDecommissioned(@Observes PracticeDecommissioned decommissioned) {
        configuration.practiceChanged(decommissioned.practice().providerId(), decommissioned.practice().groupId(),
                decommissioned.practice().practiceId());
    }

    void onGroupArchiveChanged(@Observes GroupArchiveChanged change) {
        configuration.groupChanged(change.providerId(), change.groupId());
    }
}
