package io.rampart.controlplane.policy;

import java.util.UUID;

/**
 * Agents' desired configuration may have changed: for every practice of a provider (group and practice null), of a
 * group (practice null), or of one practice. Fired by {@link ConfigurationChanges} and observed after the change's
 * transaction commits, so a watching agent is told within seconds instead of at its next poll.
 */
public record AgentConfigurationChanged(UUID providerId, UUID groupId, UUID practiceId) {
}
