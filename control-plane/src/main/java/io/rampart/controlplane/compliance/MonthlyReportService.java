package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.compliance.ComplianceViews.LatestPlanReview;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.Objectives;
import io.rampart.controlplane.compliance.ComplianceViews.PracticeObjectives;
import io.rampart.controlplane.compliance.ComplianceViews.RuleFailure;
import io.rampart.controlplane.compliance.MonthOfHistory.StateChange;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.policy.reviews.PlanReviews;
import io.rampart.controlplane.policy.rules.PlanReview;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;

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
    @Inject
    ObjectMapper json;

    /**
     * Empty when the group is not in scope. A practice is in the report for the time it was in the group within the
     * month (see GroupMembership): a practice moved to another group in the month is in both groups' reports, each for
     * its own days, and from the next month on in its new group's only. The objectives and plan reviews are those of the
     * practices in the group at the month's end.
     */
    @Transactional
    public Optional<MonthlyReport> report(TenantScope scope, UUID groupId, ReportMonth period, Instant generatedAt) {
        return policies.groupIn(scope, groupId).map(group -> {
            GroupMembership membership = GroupMembership.of(group.providerId, groupId, json);
            // a practice decommissioned before the month began is not in its report; one decommissioned during it is
            List<Practice> practices = Practice.<Practice> list("groupId = ?1 and (decommissionedAt is null or decommissionedAt >= ?2)",
                    groupId, period.from()).stream().collect(Collectors.toCollection(ArrayList::new));
            if (!membership.moved().isEmpty()) {
                Practice.<Practice> list("groupId <> ?1 and id in ?2 and (decommissionedAt is null or decommissionedAt >= ?3)", groupId,
                        membership.moved(), period.from()).forEach(practices::add);
            }
            practices.removeIf(p -> !membership.memberDuring(p.id, p.groupId, period.from(), period.to()));
            practices.sort(Comparator.comparing((Practice p) -> p.name, String.CASE_INSENSITIVE_ORDER).thenComparing(p -> p.id));
            List<Practice> atEnd = practices.stream().filter(p -> membership.member(p.id, p.groupId, period.to(), false)).toList();
            Map<UUID, String> names = practices.stream().collect(Collectors.toMap(p -> p.id, p -> p.name));
            // a rule the policy no longer has left its last state in the history without a closing row: only the
            // current policy's rules are reported
            Set<String> rules = policies.effective(groupId).document().rules().entrySet().stream()
                    .filter(rule -> rule.getValue().enabled()).map(Map.Entry::getKey).collect(Collectors.toSet());
            MonthOfHistory history = history(practices, membership, period, change -> change.ruleId() == null || rules.contains(change.ruleId()));
            List<RuleFailure> failures = history.failures().stream()
                    .map(f -> new RuleFailure(f.practiceId(), nameOf(f.practiceId(), names), f.ruleId(), f.failingFor(), f.episodes(),
                            f.stillFailing()))
                    .sorted(Comparator.comparing(RuleFailure::failingFor).reversed().thenComparing(RuleFailure::practiceName)
                            .thenComparing(RuleFailure::ruleId, MonthOfHistory::inPolicyOrder))
                    .toList();
            return new MonthlyReport(group.id, group.name, period.month(), period.from(), period.to(), generatedAt, practices.size(),
                    history.days(), failures, objectives(atEnd), planReviews(atEnd));
        });
    }

    /**
     * Two queries whatever the length of the month: the practices' states when it began, then their changes, in whichever
     * group each happened. A state counts for this group while the practice was in it: when the practice joins, its
     * states as they stood come in; when it leaves, they go out (a change whose status is null).
     */
    private MonthOfHistory history(List<Practice> practices, GroupMembership membership, ReportMonth period,
            Predicate<StateChange> reported) {
        if (practices.isEmpty()) {
            return new MonthOfHistory(period, List.of(), List.of());
        }
        List<UUID> ids = practices.stream().map(p -> p.id).toList();
        @SuppressWarnings("unchecked")
        List<Object[]> startRows = entityManager.createNativeQuery("""
                select distinct on (practice_id, rule_id) practice_id, rule_id, status from compliance_history
                where practice_id in (:ids) and changed_at < :from
                order by practice_id, rule_id, changed_at desc, id desc""")
                .setParameter("ids", ids).setParameter("from", period.from()).getResultList();
        Map<UUID, Map<String, PracticeStatus>> standing = new HashMap<>();
        startRows.forEach(row -> standing.computeIfAbsent((UUID) row[0], id -> new HashMap<>()).put((String) row[1],
                PracticeStatus.valueOf((String) row[2])));
        Map<UUID, List<ComplianceHistoryEntry>> inMonth = ComplianceHistoryEntry.<ComplianceHistoryEntry> list(
                "practiceId in ?1 and changedAt >= ?2 and changedAt < ?3", Sort.ascending("changedAt", "id"), ids, period.from(), period.to())
                .stream().collect(Collectors.groupingBy(e -> e.practiceId));

        List<StateChange> atStart = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        for (Practice practice : practices) {
            Map<String, PracticeStatus> states = standing.computeIfAbsent(practice.id, id -> new HashMap<>());
            boolean member = membership.member(practice.id, practice.groupId, period.from(), true);
            if (member) {
                states.forEach((rule, status) -> atStart.add(new StateChange(practice.id, rule, status, period.from())));
            }
            List<GroupMembership.Move> moves = membership.within(practice.id, period.from(), period.to());
            List<ComplianceHistoryEntry> rows = inMonth.getOrDefault(practice.id, List.of());
            int m = 0;
            int r = 0;
            while (m < moves.size() || r < rows.size()) {
                // a move and a change at the same instant: the move first, so the change counts in the group it happened in
                if (m < moves.size() && (r == rows.size() || !moves.get(m).at().isAfter(rows.get(r).changedAt))) {
                    GroupMembership.Move move = moves.get(m++);
                    member = move.joined();
                    boolean joined = member;
                    states.forEach((rule, status) -> changes.add(new StateChange(practice.id, rule, joined ? status : null, move.at())));
                } else {
                    ComplianceHistoryEntry row = rows.get(r++);
                    PracticeStatus status = row.status;
                    states.put(row.ruleId, status);
                    if (member) {
                        changes.add(new StateChange(practice.id, row.ruleId, status, row.changedAt));
                    }
                }
            }
        }
        return new MonthOfHistory(period, atStart.stream().filter(reported).toList(), changes.stream().filter(reported).toList());
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

    /** Every reported practice has its name; the id is only a guard. */
    private static String nameOf(UUID practiceId, Map<UUID, String> names) {
        return names.getOrDefault(practiceId, practiceId.toString());
    }
}
