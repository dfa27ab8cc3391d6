package io.rampart.controlplane.policy.reviews;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.tenancy.TenantScope;

/** A practice's plan reviews, read through a tenant scope (and, for evaluation, the latest by practice). */
@ApplicationScoped
public class PlanReviews implements PanacheRepositoryBase<PlanReviewEntry, UUID> {

    public List<PlanReviewEntry> listIn(TenantScope scope, UUID practiceId) {
        return list("practiceId = :practice and " + scope.where(), Sort.descending("reviewedAt", "recordedAt"),
                scope.parameters().and("practice", practiceId));
    }

    /** The most recent review of each of these practices that has one. */
    public Map<UUID, PlanReview> latestFor(Collection<UUID> practiceIds) {
        Map<UUID, PlanReview> latest = new HashMap<>();
        for (PlanReviewEntry entry : this.<PlanReviewEntry> list("practiceId in ?1", Sort.descending("reviewedAt"), practiceIds)) {
            latest.putIfAbsent(entry.practiceId, entry.forEvaluation());
        }
        return latest;
    }

    /** The practice's most recent review, as the plan-review rule takes it. */
    public Optional<PlanReview> latestFor(UUID practiceId) {
        return find("practiceId", Sort.descending("reviewedAt"), practiceId).firstResultOptional().map(PlanReviewEntry::forEvaluation);
    }
}
