package io.rampart.controlplane.tenancy;

import java.util.UUID;

/**
 * A group was archived ({@code archived} true) or un-archived, announced synchronously inside that transaction: a
 * feature whose rows depend on the group being live (agents' configuration) reacts in it, or throws to roll it back.
 */
public record GroupArchiveChanged(UUID providerId, UUID groupId, boolean archived) {
}
