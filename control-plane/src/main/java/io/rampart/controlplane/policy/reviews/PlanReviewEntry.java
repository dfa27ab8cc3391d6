package io.rampart.controlplane.policy.reviews;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.shared.Tenancy;

/** A person's review of a practice's documented backup procedure, as recorded (rule plan-review). */
@Entity
@Table(name = "plan_review")
public class PlanReviewEntry extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String reviewedBy;
    public Instant reviewedAt;
    public String note;
    public String documentUrl;
    public String recordedBy;
    public Instant recordedAt;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }

    /** The review as the rules take it. */
    public PlanReview forEvaluation() {
        return new PlanReview(reviewedBy, reviewedAt);
    }
}
