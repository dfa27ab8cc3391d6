package io.rampart.controlplane.policy.exceptions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A moved practice keeps its documented exceptions that still hold (not revoked, not expired): they are about the
 * practice, so they move to its new group. Revoked and expired ones are history and keep the group they had.
 */
@ApplicationScoped
public class ExceptionTenancyChanges {

    void onMoved(@Observes PracticeMoved move) {
        PolicyExceptionEntry.update("groupId = ?1 where practiceId = ?2 and revokedAt is null and validUntil > ?3", move.toGroupId(),
                move.practiceId(), move.at());
    }
}
