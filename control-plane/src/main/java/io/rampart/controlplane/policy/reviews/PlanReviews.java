package io.rampart.controlplane.policy.reviews;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.reviews.PlanReviewResource.ReviewRequest;
import io.rampart.controlplane.policy.reviews.PlanReviewResource.ReviewView;
import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;

/** A practice's plan reviews, read through a tenant scope (and, for evaluation, the latest by practice). */
@ApplicationScoped
public class PlanReviews implements PanacheRepositoryBase<PlanReviewEntry, UUID> {

    @Inject
    AuditLog audit;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    Clock clock;

    /**
     * Records that a person reviewed the practice's backup procedure (the caller has checked the practice is in
     * their scope), audits it and has the practice evaluated again.
     *
     * @throws io.rampart.controlplane.shared.InvalidInput naming each field that is wrong (reviewedAt in the future,
     *     no note, a link that is not http(s)); nothing is recorded then
     */
    @Transactional
    public ReviewView record(Caller me, Practice practice, ReviewRequest request) {
        // microseconds, as the database keeps them, so an answer shows what a later read will
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        PlanReviewEntry entry = new PlanReviewEntry();
        entry.id = UUID.randomUUID();
        entry.providerId = practice.providerId;
        entry.groupId = practice.groupId;
        entry.practiceId = practice.id;
        PlanReviewResource.validateInto(entry, request == null ? new ReviewRequest(null, null, null, null) : request, me, now,
                PracticeGroup.zoneOf(practice.groupId));
        entry.recordedBy = me.username();
        entry.recordedAt = now;
        persist(entry);
        ReviewView recorded = PlanReviewResource.view(entry);
        inputChanged.fire(PolicyInputChanged.practice(entry.groupId, entry.practiceId));
        audit.record(me, new AuditLog.Change("plan-review.recorded", "plan-review", entry.id.toString(), entry.tenancy(), null, recorded));
        return recorded;
    }

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
