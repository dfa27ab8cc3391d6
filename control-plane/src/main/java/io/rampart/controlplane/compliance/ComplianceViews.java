package io.rampart.controlplane.compliance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rampart.controlplane.shared.PracticeStatus;

/** What the compliance API answers. */
public final class ComplianceViews {

    private ComplianceViews() {
    }

    /**
     * A practice against its group's policy: overall (its worst rule), every rule, and the two objectives;
     * evaluationFailure is null unless Rampart currently cannot evaluate it (then its status is UNKNOWN or FAIL
     * and its reason says so).
     */
    public record PracticeReport(UUID practiceId, String practiceName, UUID groupId, PracticeStatus status, String reason,
            Instant since, Instant evaluatedAt, Integer policyVersion, List<RuleView> rules, Objectives objectives,
            EvaluationFailure evaluationFailure) {
    }

    /** Rampart's evaluation of the practice has thrown since {@code since}, {@code attempts} times in a row; the next try is at nextAttemptAt. */
    public record EvaluationFailure(Instant since, int attempts, String error, Instant nextAttemptAt) {
    }

    /** configurationGap: no check configured for the practice can ever give evidence for the rule; a person must add one. */
    public record RuleView(String ruleId, PracticeStatus status, String reason, Instant since, boolean configurationGap) {
    }

    /**
     * Could the practice be restored within the downtime objective, losing at most the data-loss
     * objective? Measured values are null until an agent reported them.
     */
    public record Objectives(Objective downtime, Objective dataLoss) {
    }

    /** A measured duration against its objective, and when it was measured. */
    public record Objective(Duration objective, @Schema(nullable = true) Duration measured, @Schema(nullable = true) Instant measuredAt,
            @Schema(nullable = true) Boolean met, @Schema(nullable = true) String source) {
    }

    /** A group's share of practices passing each rule and overall. */
    public record GroupCompliance(UUID groupId, String groupName, int practices, Share overall, List<RuleShare> rules) {
    }

    public record RuleShare(String ruleId, int passing, int atRisk, int failing, int unknown, double share) {
    }

    public record Share(int passing, double share) {
    }

    /** One change of state; ruleId null for the practice's overall state. */
    public record Change(UUID practiceId, String ruleId, PracticeStatus status, PracticeStatus previousStatus, String reason,
            Instant changedAt, int policyVersion) {
    }

    /**
     * How one rule went in a group over a period: for how long at least one practice was not
     * passing it (the group below 100 %), and every change in the period.
     */
    public record GroupRuleHistory(UUID groupId, String ruleId, Instant from, Instant to, Duration belowFullCompliance,
            List<Change> changes) {
    }

    /**
     * A group's month for its board: the share of practices passing each day, who failed what and for
     * how long, the two objectives and the plan reviews. The period is [from, to): to is the first
     * instant of the next month, or the time of the report while the month still runs. {@code practices}
     * counts every practice that was in the group at some time in the period (one moved in or out counts
     * for the days it was there); the objectives and plan reviews are those of the practices in it at the end.
     */
    public record MonthlyReport(UUID groupId, String groupName, YearMonth month, Instant from, Instant to, Instant generatedAt,
            int practices, List<ReportDay> days, List<RuleFailure> failures, List<PracticeObjectives> objectives,
            List<LatestPlanReview> planReviews) {
    }

    /**
     * The shares of practices passing at the end of one day, among those with a state by then: rules
     * in policy order, a rule no practice has a state for left out, overall null while none has one.
     */
    public record ReportDay(LocalDate date, Double overall, Map<String, Double> rules) {
    }

    /** A practice's time in FAIL on a rule within the month, its FAIL episodes overlapping the month, and whether it fails at the end. */
    public record RuleFailure(UUID practiceId, String practiceName, String ruleId, Duration failingFor, int episodes,
            boolean stillFailing) {
    }

    public record PracticeObjectives(UUID practiceId, String practiceName, Objective restoreTime, Objective syncLag) {
    }

    /** The practice's most recent plan review; both null when it never had one. */
    public record LatestPlanReview(UUID practiceId, String practiceName, Instant reviewedAt, String reviewedBy) {
    }
}
