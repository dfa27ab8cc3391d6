package io.rampart.controlplane.shared;

import java.util.UUID;

/** Where a row belongs: provider, group and practice. Carried by every event and projection. */
public record Tenancy(UUID providerId, UUID groupId, UUID practiceId) {
}
