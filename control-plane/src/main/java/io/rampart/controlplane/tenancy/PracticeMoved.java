package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.util.UUID;

import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Tenancy;

/**
 * A practice moved to another group of its provider, announced synchronously inside the move's transaction: each
 * feature re-scopes the rows that describe the practice now (agents, projections, open alerts, contacts, current
 * exceptions) to the new group; rows of history (events, compliance history, audit) keep the group they had. An
 * observer may refuse the move by throwing (the transaction rolls back); {@code by} is who moved it, for an observer
 * whose own changes are audited.
 */
public record PracticeMoved(UUID providerId, UUID practiceId, UUID fromGroupId, UUID toGroupId, Instant at, Caller by) {

    public Tenancy now() {
        return new Tenancy(providerId, toGroupId, practiceId);
    }
}
