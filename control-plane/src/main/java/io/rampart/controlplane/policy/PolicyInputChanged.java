package io.rampart.controlplane.policy;

import java.util.UUID;

/**
 * Fired (as a CDI event, inside the change's transaction) when a person changed what a verdict
 * depends on: a group's policy (every practice of the group) or one practice's exceptions or plan
 * reviews. The compliance evaluation observes it and evaluates them again at once.
 */
public record PolicyInputChanged(UUID groupId, UUID practiceId) {

    public static PolicyInputChanged group(UUID groupId) {
        return new PolicyInputChanged(groupId, null);
    }

    public static PolicyInputChanged practice(UUID groupId, UUID practiceId) {
        return new PolicyInputChanged(groupId, practiceId);
    }

    public boolean wholeGroup() {
        return practiceId == null;
    }
}
