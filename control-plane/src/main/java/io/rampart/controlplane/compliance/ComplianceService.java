package io.rampart.controlplane.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.compliance.ComplianceViews.Change;
import io.rampart.controlplane.compliance.ComplianceViews.EvaluationFailure;
import io.rampart.controlplane.compliance.ComplianceViews.GroupCompliance;
import io.rampart.controlplane.compliance.ComplianceViews.GroupRuleHistory;
import io.rampart.controlplane.compliance.ComplianceViews.Objective;
import io.rampart.controlplane.compliance.ComplianceViews.Objectives;
import io.rampart.controlplane.compliance.ComplianceViews.PracticeReport;
import io.rampart.controlplane.compliance.ComplianceViews.RuleShare;
import io.rampart.controlplane.compliance.ComplianceViews.RuleView;
import io.rampart.controlplane.compliance.ComplianceViews.Share;
import io.rampart.controlplane.fleet.CheckState;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.RuleSetting;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.policy.rules.DbSyncRule;
import io.rampart.controlplane.policy.rules.RestoreTestRule;
import io.rampart.controlplane.policy.rules.Thresholds;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeRepository;
import io.rampart.protocol.agent.v1.CheckResult;

/** Reads how practices and groups stand against their policy, always within the caller's scope. */
@ApplicationScoped
public class ComplianceService {

    /** The rules in the reference policy's order: how every answer lists them. */
    static final List<String> RULE_ORDER = List.copyOf(PolicyDocument.reference().rules().keySet());

    @Inject
    PracticeRepository practices;
    @Inject
    GroupPolicies policies;
    @Inject
    EntityManager entityManager;

    @Transactional
    public Optional<PracticeReport> practice(TenantScope scope, UUID practiceId) {
        return practices.findIn(scope, practiceId).map(practice -> {
            PracticeCompliance overall = PracticeCompliance.findById(practiceId);
            List<RuleView> rules = RuleState.<RuleState> list("practiceId", practiceId).stream()
                    .sorted(Comparator.comparingInt(state -> RULE_ORDER.indexOf(state.ruleId)))
                    .map(state -> new RuleView(state.ruleId, state.status, state.reason, state.since,
                            state.configurationGap))
                    .toList();
            boolean evaluated = overall != null && overall.status != null;
            return new PracticeReport(practice.id, practice.name, practice.groupId,
                    evaluated ? overall.status : PracticeStatus.UNKNOWN,
                    evaluated ? overall.reason : "Not evaluated yet", evaluated ? overall.since : null,
                    evaluated ? overall.evaluatedAt : null, evaluated ? overall.policyVersion : null, rules, objectives(practice),
                    overall == null || overall.evaluationFailingSince == null ? null
                            : new EvaluationFailure(overall.evaluationFailingSince, overall.evaluationAttempts, overall.evaluationError,
                                    overall.nextDueAt));
        });
    }

    @Transactional
    public Optional<GroupCompliance> group(TenantScope scope, UUID groupId) {
        return policies.groupIn(scope, groupId).map(group -> {
            // decommissioned practices keep their last states, but are no longer part of the group's standing
            long practiceCount = Practice.count("groupId = ?1 and decommissionedAt is null", groupId);
            int total = (int) practiceCount;
            Map<String, int[]> counts = new HashMap<>();
            for (RuleState state : RuleState.<RuleState> list("groupId = ?1 and practiceId in (select p.id from Practice p where "
                    + "p.groupId = ?1 and p.decommissionedAt is null)", groupId)) {
                counts.computeIfAbsent(state.ruleId, id -> new int[4])[state.status.ordinal()]++;
            }
            List<RuleShare> rules = counts.entrySet().stream()
                    .sorted(Comparator.comparingInt(e -> RULE_ORDER.indexOf(e.getKey())))
                    .map(e -> {
                        int[] c = e.getValue();
                        int pass = c[PracticeStatus.PASS.ordinal()];
                        int counted = pass + c[PracticeStatus.AT_RISK.ordinal()] + c[PracticeStatus.FAIL.ordinal()] + c[PracticeStatus.UNKNOWN.ordinal()];
                        // a practice not evaluated yet counts as unknown
                        return new RuleShare(e.getKey(), pass, c[PracticeStatus.AT_RISK.ordinal()], c[PracticeStatus.FAIL.ordinal()],
                                c[PracticeStatus.UNKNOWN.ordinal()] + (total - counted), share(pass, total));
                    }).toList();
            int passing = (int) PracticeCompliance.count("groupId = ?1 and status = ?2 and practiceId in (select p.id from Practice p "
                    + "where p.groupId = ?1 and p.decommissionedAt is null)", groupId, PracticeStatus.PASS);
            return new GroupCompliance(group.id, group.name, total, new Share(passing, share(passing, total)), rules);
        });
    }

    @Transactional
    public Optional<List<Change>> practiceHistory(TenantScope scope, UUID practiceId, int limit) {
        return practices.findIn(scope, practiceId).map(practice -> ComplianceHistoryEntry.<ComplianceHistoryEntry> find("practiceId",
                Sort.descending("changedAt", "id"), practiceId).page(0, limit).list().stream().map(ComplianceService::change).toList());
    }

    /** How the group went on one rule between {@code from} and {@code to}; empty when the group is not in scope. */
    @Transactional
    public Optional<GroupRuleHistory> groupRuleHistory(TenantScope scope, UUID groupId, String ruleId, Instant from, Instant to) {
        Optional<PracticeGroup> group = policies.groupIn(scope, groupId);
        if (group.isEmpty()) {
            return Optional.empty();
        }
        // where each practice stood when the period began
        Map<UUID, PracticeStatus> standing = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> atStart = entityManager.createNativeQuery("""
                select distinct on (practice_id) practice_id, status from compliance_history
                where group_id = ?1 and rule_id = ?2 and changed_at <= ?3
                order by practice_id, changed_at desc, id desc""")
                .setParameter(1, groupId).setParameter(2, ruleId).setParameter(3, from).getResultList();
        atStart.forEach(row -> standing.put((UUID) row[0], PracticeStatus.valueOf((String) row[1])));
        List<ComplianceHistoryEntry> inPeriod = ComplianceHistoryEntry.list(
                "groupId = ?1 and ruleId = ?2 and changedAt > ?3 and changedAt <= ?4", Sort.ascending("changedAt", "id"), groupId, ruleId, from, to);

        Duration below = Duration.ZERO;
        Instant cursor = from;
        for (ComplianceHistoryEntry entry : inPeriod) {
            if (anyNotPassing(standing)) {
                below = below.plus(Duration.between(cursor, entry.changedAt));
            }
            standing.put(entry.practiceId, entry.status);
            cursor = entry.changedAt;
        }
        if (anyNotPassing(standing)) {
            below = below.plus(Duration.between(cursor, to));
        }
        return Optional.of(new GroupRuleHistory(groupId, ruleId, from, to, below, inPeriod.stream().map(ComplianceService::change).toList()));
    }

    private static boolean anyNotPassing(Map<UUID, PracticeStatus> standing) {
        return standing.values().stream().anyMatch(status -> status != PracticeStatus.PASS);
    }

    /**
     * The newest restore test's time against the downtime objective, the newest sync lag against the data-loss objective.
     * Unscoped: the caller has checked the practice is in scope (the practice page, the group's monthly report).
     */
    Objectives objectives(Practice practice) {
        Map<String, RuleSetting> rules = policies.effective(practice.groupId).document().rules();
        Duration downtime = rules.get(RestoreTestRule.ID).thresholds() instanceof Thresholds.RestoreTest t ? t.maxRestoreTime()
                : Thresholds.RestoreTest.DEFAULT.maxRestoreTime();
        Duration dataLoss = rules.get(DbSyncRule.ID).thresholds() instanceof Thresholds.DbSync t ? t.maxLag() : Thresholds.DbSync.DEFAULT.maxLag();
        List<CheckState> checks = CheckState.list("practiceId = ?1 and kind in ?2", practice.id, List.of("RESTORE_TEST", "DATABASE_SYNC"));
        Objective restore = newest(checks, "RESTORE_TEST").filter(CheckResult::hasRestoreTest)
                .map(r -> objective(downtime, r.getRestoreTest().getRestoreDuration(), newestAt(checks, "RESTORE_TEST"),
                        r.getCheckId() + " (" + r.getRestoreTest().getMethod() + ")"))
                .orElse(new Objective(downtime, null, null, null, "no restore test reported yet"));
        Objective lag = newest(checks, "DATABASE_SYNC").filter(CheckResult::hasDatabaseSync)
                // an agent that could not measure the lag (primary unreachable) leaves it unset: not "0 s, met"
                .map(r -> r.getDatabaseSync().hasLag()
                        ? objective(dataLoss, r.getDatabaseSync().getLag(), newestAt(checks, "DATABASE_SYNC"), r.getCheckId())
                        : new Objective(dataLoss, null, newestAt(checks, "DATABASE_SYNC"), null, r.getCheckId() + ": lag not measured"))
                .orElse(new Objective(dataLoss, null, null, null, "no database sync reported yet"));
        return new Objectives(restore, lag);
    }

    private static Optional<CheckResult> newest(List<CheckState> checks, String kind) {
        return checks.stream().filter(c -> c.kind.equals(kind)).max(Comparator.comparing(c -> c.observedAt)).map(CheckStates::toResult);
    }

    private static Instant newestAt(List<CheckState> checks, String kind) {
        return checks.stream().filter(c -> c.kind.equals(kind)).map(c -> c.observedAt).max(Comparator.naturalOrder()).orElse(null);
    }

    private static Objective objective(Duration objective, com.google.protobuf.Duration measured, Instant at, String source) {
        Duration value = Duration.ofSeconds(measured.getSeconds(), measured.getNanos());
        return new Objective(objective, value, at, value.compareTo(objective) <= 0, source);
    }

    private static Change change(ComplianceHistoryEntry entry) {
        return new Change(entry.practiceId, entry.ruleId, entry.status, entry.previousStatus, entry.reason, entry.changedAt,
                entry.policyVersion);
    }

    /** A share rounded to 3 decimals (0.667), as every compliance answer gives it. */
    static double share(int part, int total) {
        return total == 0 ? 0 : Math.round(1000.0 * part / total) / 1000.0;
    }
}
