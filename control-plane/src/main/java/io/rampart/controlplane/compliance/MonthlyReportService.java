package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;
import io.rampart.controlplane.compliance.ComplianceViews.LatestPlanReview;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.Objectives;
import io.rampart.controlplane.compliance.ComplianceViews.PracticeObjectives;
import io.rampart.controlplane.compliance.ComplianceViews.RuleFailure;
import io.rampart.controlplane.compliance.MonthOfHistory.StateChange;
import io.rampart.controlplane.fleet.PracticeStatus;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.policy.reviews.PlanReviews;
import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.TenantScope;

/** Builds a group's monthly compliance report, within the caller's scope. */
@ApplicationScoped
public class MonthlyReportService {

    @Inject
    GroupPolicies policies;
    @Inject
    ComplianceService compliance;
    @Inject
    PlanReviews planReviews;
    @Inject
    EntityManager entityManager;

    /** Empty when the group is not in scope. */
    @Transactional
    public Optional<MonthlyReport> report(TenantScope scope, UUID groupId, ReportMonth period, Instant generatedAt) {
        return policies.groupIn(scope, groupId).map(group -> {
            // a practice decommissioned before the month began is not in its report; one decommissioned during it is
            List<Practice> practices = Practice.list("groupId = ?1 and (decommissionedAt is null or decommissionedAt >= ?2)", Sort.by("name"),
                    groupId, period.from());
            Map<UUID, String> names = practices.stream().collect(Collectors.toMap(p -> p.id, p -> p.name));
            // a rule the policy no longer has, or a practice no longer in the group, left its last state in the
            // history without a closing row: only the current policy's rules and practices are reported
            Set<String> rules = policies.effective(groupId).document().rules().entrySet().stream()
                    .filter(rule -> rule.getValue().enabled()).map(Map.Entry::getKey).collect(Collectors.toSet());
            MonthOfHistory history = history(groupId, period,
                    change -> names.containsKey(change.practiceId()) && (change.ruleId() == null || rules.contains(change.ruleId())));
            List<RuleFailure> failures = history.failures().stream()
                    .map(f -> new RuleFailure(f.practiceId(), nameOf(f.practiceId(), names), f.ruleId(), f.failingFor(), f.episodes(),
                            f.stillFailing()))
                    .sorted(Comparator.comparing(RuleFailure::failingFor).reversed().thenComparing(RuleFailure::practiceName)
                            .thenComparing(RuleFailure::ruleId, MonthOfHistory::inPolicyOrder))
                    .toList();
            return new MonthlyReport(group.id, group.name, period.month(), period.from(), period.to(), generatedAt, practices.size(),
                    history.days(), failures, objectives(practices), planReviews(practices));
        });
    }

    /** Two queries whatever the length of the month: the states when it began, then its changes. */
    private MonthOfHistory history(UUID groupId, ReportMonth period, Predicate<StateChange> reported) {
        @SuppressWarnings("unchecked")
        List<Object[]> atStart = entityManager.createNativeQuery("""
                select distinct on (practice_id, rule_id) practice_id, rule_id, status from compliance_history
                where group_id = ?1 and changed_at < ?2
                order by practice_id, rule_id, changed_at desc, id desc""")
                .setParameter(1, groupId).setParameter(2, period.from()).getResultList();
        List<ComplianceHistoryEntry> inMonth = ComplianceHistoryEntry.list("groupId = ?1 and changedAt >= ?2 and changedAt < ?3",
                Sort.ascending("changedAt", "id"), groupId, period.from(), period.to());
        return new MonthOfHistory(period,
                atStart.stream().map(row -> new StateChange((UUID) row[0], (String) row[1], PracticeStatus.valueOf((String) row[2]),
                        period.from())).filter(reported).toList(),
                inMonth.stream().map(e -> new StateChange(e.practiceId, e.ruleId, PracticeStatus.valueOf(e.status), e.changedAt))
                        .filter(reported).toList());
    }

    private List<PracticeObjectives> objectives(List<Practice> practices) {
        return practices.stream().map(practice -> {
            Objectives objectives = compliance.objectives(practice);
            return new PracticeObjectives(practice.id, practice.name, objectives.downtime(), objectives.dataLoss());
        }).toList();
    }

    private List<LatestPlanReview> planReviews(List<Practice> practices) {
        Map<UUID, PlanReview> latest = practices.isEmpty() ? Map.of()
                : planReviews.latestFor(practices.stream().map(p -> p.id).toList());
        return practices.stream().map(practice -> {
            Optional<PlanReview> review = Optional.ofNullable(latest.get(practice.id));
            return new LatestPlanReview(practice.id, practice.name, review.map(PlanReview::reviewedAt).orElse(null),
                    review.map(PlanReview::reviewedBy).orElse(null));
        }).toList();
    }

    /** A practice that has left the group since keeps its history here, under its id. */
    private static String nameOf(UUID practiceId, Map<UUID, String> names) {
        return names.getOrDefault(practiceId, practiceId.toString());
    }
}
