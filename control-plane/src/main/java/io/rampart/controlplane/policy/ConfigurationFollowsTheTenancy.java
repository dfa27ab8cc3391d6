package io.rampart.controlplane.policy;

import jakarta.annotation.Priority;
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
 * <p>
 * The observers run last ({@link #AFTER_THE_FEATURES}, after every observer at the default priority 2500), as the call
 * did at the end of the lifecycle method: the synchronous observers of the configuration change (pings revoking URLs
 * of checks the practice no longer runs) must see the checks, agents and alerts the other features have already
 * re-scoped for the move or the decommissioning.
 */
@ApplicationScoped
public class ConfigurationFollowsTheTenancy {

    static final int AFTER_THE_FEATURES = 3000;

    @Inject
    ConfigurationChanges configuration;

    void onMoved(@Observes @Priority(AFTER_THE_FEATURES) PracticeMoved move) {
        configuration.practiceChanged(move.providerId(), move.toGroupId(), move.practiceId());
    }

    void onDecommissioned(@Observes @Priority(AFTER_THE_FEATURES) PracticeDecommissioned decommissioned) {
        configuration.practiceChanged(decommissioned.practice().providerId(), decommissioned.practice().groupId(),
                decommissioned.practice().practiceId());
    }

    void onGroupArchiveChanged(@Observes @Priority(AFTER_THE_FEATURES) GroupArchiveChanged change) {
        configuration.groupChanged(change.providerId(), change.groupId());
    }
}
