package io.rampart.controlplane.policy.checks;

import static io.rampart.controlplane.policy.checks.CheckViews.noCheck;
import static io.rampart.controlplane.policy.checks.CheckViews.practiceView;
import static io.rampart.controlplane.policy.checks.CheckViews.sourceOf;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.policy.ConfiguredChecks.Configured;
import io.rampart.controlplane.policy.ConfiguredChecks.Origin;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.policy.checks.CheckInputs.ValidCheck;
import io.rampart.controlplane.policy.checks.CheckViews.PracticeCheckView;
import io.rampart.controlplane.policy.checks.CheckViews.PracticeChecks;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.policy.rules.CheckCoverage;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;

/**
 * Each practice's own word on its checks, over its group's set (see ConfiguredChecks): a check run its own way (a row
 * in place of the group's of the same id), one of its own, or "not here" (a removed row). Read within the caller's
 * scope (404 outside it, as for one that does not exist), changed in one transaction with the announcement to the
 * practice's agents, a new evaluation (a configuration gap may open or close) and the audit record. A decommissioned
 * practice takes no changes (409).
 */
@ApplicationScoped
public class PracticeCheckSets {

    @Inject
    ConfiguredChecks configured;
    @Inject
    ConfigurationChanges configurationChanges;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    GroupPolicies policies;
    @Inject
    AuditLog audit;

    /** The practice's checks merged with its group's (see ConfiguredChecks), the group's checks it removed, and its gaps. */
    @Transactional
    public Optional<PracticeChecks> practiceChecks(TenantScope scope, UUID practiceId) {
        return practiceIn(scope, practiceId).map(this::practiceChecks);
    }

    /** Sets the practice's own definition of a check: in place of the group's of the same id, or a check of its own. */
    @Transactional
    public PracticeChecks setAtPractice(Caller caller, UUID practiceId, String checkId, CheckInput input) {
        Practice practice = lockedPractice(caller.scope(), practiceId);
        Map<String, String> others = new HashMap<>();
        configured.of(practice).forEach(c -> others.put(c.definition().checkId, c.definition().kind));
        others.remove(checkId);
        ValidCheck check = CheckInputs.validate(input, checkId, others);
        if (!CheckInputs.RESTORABLE_KINDS.contains(check.kind())) {
            refuseIfPracticeRestoreSource(practice, checkId, "change it to a kind that cannot be restored");
        }
        PracticeChecks before = practiceChecks(practice);
        PracticeCheck row = PracticeCheck.findById(new PracticeCheck.Key(practice.id, checkId));
        boolean created = row == null;
        if (created) {
            row = new PracticeCheck();
            row.practiceId = practice.id;
            row.checkId = checkId;
            row.providerId = practice.providerId;
        }
        row.removed = false;
        row.kind = check.kind();
        row.intervalSeconds = check.intervalSeconds();
        row.settings = check.settings();
        if (created) {
            row.persist();
        }
        return practiceChanged(caller, practice, "practice-check.set", checkId, before);
    }

    /**
     * The practice no longer runs the check: a group's check is removed at this practice only (a row saying so), a
     * check of the practice's own is deleted. Refused (409) while a restore test of the practice restores it.
     */
    @Transactional
    public PracticeChecks removeAtPractice(Caller caller, UUID practiceId, String checkId) {
        Practice practice = lockedPractice(caller.scope(), practiceId);
        boolean inGroup = CheckDefinition.findById(new CheckDefinition.Key(practice.groupId, checkId)) != null;
        PracticeCheck row = PracticeCheck.findById(new PracticeCheck.Key(practice.id, checkId));
        if (!inGroup && row == null || row != null && row.removed) {
            throw noCheck(checkId);
        }
        refuseIfPracticeRestoreSource(practice, checkId, "remove it");
        PracticeChecks before = practiceChecks(practice);
        if (!inGroup) {
            row.delete();
        } else {
            boolean created = row == null;
            if (created) {
                row = new PracticeCheck();
                row.practiceId = practice.id;
                row.checkId = checkId;
                row.providerId = practice.providerId;
            }
            // a removed row carries no definition (the table's check constraint holds it)
            row.removed = true;
            row.kind = null;
            row.intervalSeconds = null;
            row.settings = null;
            if (created) {
                row.persist();
            }
        }
        return practiceChanged(caller, practice, "practice-check.removed", checkId, before);
    }

    /** Drops the practice's own word on a check: it runs the group's check of that id again (or, for its own, none). */
    @Transactional
    public PracticeChecks revertAtPractice(Caller caller, UUID practiceId, String checkId) {
        Practice practice = lockedPractice(caller.scope(), practiceId);
        PracticeCheck row = PracticeCheck.findById(new PracticeCheck.Key(practice.id, checkId));
        if (row == null) {
            throw new NotFound("The practice has no override of check \"" + checkId + "\"; it runs its group's check as it is");
        }
        boolean inGroup = CheckDefinition.findById(new CheckDefinition.Key(practice.groupId, checkId)) != null;
        if (!inGroup && !row.removed) {
            refuseIfPracticeRestoreSource(practice, checkId, "drop it");
        }
        PracticeChecks before = practiceChecks(practice);
        row.delete();
        return practiceChanged(caller, practice, "practice-check.reverted", checkId, before);
    }

    private PracticeChecks practiceChecks(Practice practice) {
        List<Configured> checks = configured.of(practice);
        Map<String, PracticeCheckView> views = new LinkedHashMap<>();
        checks.forEach(c -> views.put(c.definition().checkId, practiceView(c.definition(), c.origin(), false)));
        for (PracticeCheck row : PracticeCheck.<PracticeCheck> list("practiceId = ?1 and removed = true", practice.id)) {
            CheckDefinition group = CheckDefinition.findById(new CheckDefinition.Key(practice.groupId, row.checkId));
            if (group != null) {
                views.put(row.checkId, practiceView(group, Origin.GROUP, true));
            }
        }
        List<String> ids = checks.stream().map(c -> c.definition().checkId).toList();
        List<String> gaps = policies.rulesFor(practice.groupId).stream().map(Rule::id).filter(rule -> CheckCoverage.isGap(rule, ids)).toList();
        return new PracticeChecks(views.values().stream().sorted(java.util.Comparator.comparing(PracticeCheckView::checkId)).toList(), gaps);
    }

    private PracticeChecks practiceChanged(Caller caller, Practice practice, String action, String checkId, PracticeChecks before) {
        PracticeCheck.flush();
        PracticeChecks after = practiceChecks(practice);
        configurationChanges.practiceChanged(practice.providerId, practice.groupId, practice.id);
        inputChanged.fire(PolicyInputChanged.practice(practice.groupId, practice.id));
        audit.record(caller, new AuditLog.Change(action, "practice-check", practice.id + "/" + checkId, practice.tenancy(),
                before.checks().stream().filter(c -> c.checkId().equals(checkId)).findFirst().orElse(null),
                after.checks().stream().filter(c -> c.checkId().equals(checkId)).findFirst().orElse(null)));
        return after;
    }

    private void refuseIfPracticeRestoreSource(Practice practice, String checkId, String what) {
        for (Configured c : configured.of(practice)) {
            if (c.definition().kind.equals("RESTORE_TEST") && sourceOf(c.definition().settings).equals(checkId)) {
                throw new Conflict("The restore test \"" + c.definition().checkId + "\" of this practice restores \"" + checkId
                        + "\"; give it another source before you " + what);
            }
        }
    }

    private static Optional<Practice> practiceIn(TenantScope scope, UUID practiceId) {
        return Practice.<Practice> find("id = :id and " + scope.where("providerId", "groupId", "id"),
                scope.parameters("providerId", "groupId", "id").and("id", practiceId)).firstResultOptional();
    }

    private static Practice lockedPractice(TenantScope scope, UUID practiceId) {
        Practice practice = Practice.<Practice> find("id = :id and " + scope.where("providerId", "groupId", "id"),
                scope.parameters("providerId", "groupId", "id").and("id", practiceId)).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElseThrow(NotVisible::practice);
        if (practice.decommissioned()) {
            throw new Conflict("The practice \"" + practice.name + "\" was decommissioned on " + practice.decommissionedAt
                    + " by " + practice.decommissionedBy + "; it is kept read-only and takes no changes");
        }
        return practice;
    }
}
