package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * plan-review: the documented backup procedure was reviewed by a person within 12 months (365 days). No agent gives
 * evidence for it: until someone records a review, the verdict says so and how, instead of "no data yet".
 */
public final class PlanReviewRule extends AbstractRule {

    public static final String ID = "plan-review";
    /** The reason while no review was ever recorded for the practice. */
    public static final String NO_REVIEW = "no review of the backup plan recorded yet: once a person has reviewed it, "
            + "record the review on the practice's page (Record a review)";

    private final Thresholds.PlanReviewEvery thresholds;

    public PlanReviewRule() {
        this(Thresholds.PlanReviewEvery.DEFAULT);
    }

    public PlanReviewRule(Thresholds.PlanReviewEvery thresholds) {
        super(ID);
        this.thresholds = thresholds;
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        if (evidence.planReview().isEmpty()) {
            return RuleVerdict.unknown(ID, NO_REVIEW);
        }
        PlanReview review = evidence.planReview().get();
        Duration age = Duration.between(review.reviewedAt(), now);
        return new RuleVerdict(ID, Verdicts.grade(age, thresholds.reviewEvery(), thresholds.grace()),
                "backup plan last reviewed by " + review.reviewedBy() + " on " + Texts.date(review.reviewedAt()) + ", "
                        + Texts.span(age) + " ago (limit " + Texts.span(thresholds.reviewEvery()) + ")");
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
