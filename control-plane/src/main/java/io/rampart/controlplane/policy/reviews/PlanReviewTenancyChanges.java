package io.rampart.controlplane.policy.reviews;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A moved practice takes its plan reviews along: they record the practice's own documented procedure, and the plan-review
 * rule reads the latest of them whatever group the practice is in, so its new group's managers must see them too.
 */
@ApplicationScoped
public class PlanReviewTenancyChanges {

    void onMoved(@Observes PracticeMoved move) {
        PlanReviewEntry.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
    }
}
