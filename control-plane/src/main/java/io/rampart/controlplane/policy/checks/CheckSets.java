package io.rampart.controlplane.policy.checks;

import static io.rampart.controlplane.policy.checks.CheckViews.noCheck;
import static io.rampart.controlplane.policy.checks.CheckViews.sourceOf;
import static io.rampart.controlplane.policy.checks.CheckViews.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.policy.checks.CheckInputs.ValidCheck;
import io.rampart.controlplane.policy.checks.CheckViews.CheckView;
import io.rampart.controlplane.policy.checks.CheckViews.TemplateRequest;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * A group's check set: read within the caller's scope, and changed (validated by {@link CheckInputs}) in one transaction
 * with the announcement to agents (ConfigurationChanges), a new evaluation of what the change affects (a configuration
 * gap opens or closes) and the audit record. A group outside the caller's scope is a 404, as one that does not exist.
 * Each practice's own word on its checks is {@link PracticeCheckSets}'.
 */
@ApplicationScoped
public class CheckSets {

    @Inject
    ConfigurationChanges configurationChanges;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    GroupPolicies policies;
    @Inject
    AuditLog audit;
    @Inject
    NotHereRows notHere;

    // ---- a group's check set

    @Transactional
    public Optional<List<CheckView>> groupChecks(TenantScope scope, UUID groupId) {
        return policies.groupIn(scope, groupId).map(group -> definitions(group.id).stream().map(CheckViews::view).toList());
    }

    /** Adds a check to the group's set; 409 when the set has one of that id. */
    @Transactional
    public CheckView add(Caller caller, UUID groupId, CheckInput input) {
        PracticeGroup group = lockedGroup(caller.scope(), groupId);
        List<CheckDefinition> set = definitions(group.id);
        ValidCheck check = CheckInputs.validate(input, null, CheckInputs.kindsOf(set));
        if (set.stream().anyMatch(d -> d.checkId.equals(check.checkId()))) {
            throw new Conflict("The group already has a check \"" + check.checkId() + "\"; change it, or choose another id");
        }
        CheckDefinition definition = new CheckDefinition();
        definition.groupId = group.id;
        definition.providerId = group.providerId;
        write(definition, check);
        definition.persist();
        CheckView after = view(definition);
        groupChanged(caller, group, "group-check.added", check.checkId(), null, after);
        return after;
    }

    /** Changes one check of the group's set (kind, interval, settings); its id stays. */
    @Transactional
    public CheckView change(Caller caller, UUID groupId, String checkId, CheckInput input) {
        PracticeGroup group = lockedGroup(caller.scope(), groupId);
        List<CheckDefinition> set = definitions(group.id);
        CheckDefinition definition = set.stream().filter(d -> d.checkId.equals(checkId)).findFirst().orElseThrow(() -> noCheck(checkId));
        Map<String, String> others = CheckInputs.kindsOf(set);
        others.remove(checkId);
        ValidCheck check = CheckInputs.validate(input, checkId, others);
        if (!CheckInputs.RESTORABLE_KINDS.contains(check.kind())) {
            refuseIfRestoreSource(group.id, checkId, "change it to a kind that cannot be restored");
        }
        CheckView before = view(definition);
        write(definition, check);
        CheckView after = view(definition);
        groupChanged(caller, group, "group-check.changed", checkId, before, after);
        return after;
    }

    /**
     * Removes a check from the group's set, and its practices' "not here" rows for it (see NotHereRows); refused (409)
     * while a restore test of the set restores it.
     */
    @Transactional
    public void remove(Caller caller, UUID groupId, String checkId) {
        PracticeGroup group = lockedGroup(caller.scope(), groupId);
        CheckDefinition definition = CheckDefinition.findById(new CheckDefinition.Key(group.id, checkId));
        if (definition == null) {
            throw noCheck(checkId);
        }
        refuseIfRestoreSource(group.id, checkId, "remove it");
        CheckView before = view(definition);
        definition.delete();
        notHere.dropFor(caller, group, List.of(checkId), "the group's check \"" + checkId + "\" was removed");
        groupChanged(caller, group, "group-check.removed", checkId, before, null);
    }

    /** Starts (or, with replace, replaces) the group's set from a template; every check is validated as if added by hand. */
    @Transactional
    public List<CheckView> applyTemplate(Caller caller, UUID groupId, TemplateRequest request) {
        PracticeGroup group = lockedGroup(caller.scope(), groupId);
        if (request == null || request.template() == null || CheckTemplates.byId(request.template().strip()).isEmpty()) {
            throw new InvalidInput("No such template; nothing was changed", List.of(new FieldError("template",
                    "one of " + String.join(", ", CheckTemplates.ALL.stream().map(CheckTemplates.CheckTemplate::id).toList()))));
        }
        CheckTemplates.CloudTool cloud;
        try {
            cloud = request.cloudTool() == null ? CheckTemplates.CloudTool.RESTIC
                    : CheckTemplates.CloudTool.valueOf(request.cloudTool().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("Unknown cloud tool; nothing was changed",
                    List.of(new FieldError("cloudTool", "RESTIC or BORG, not \"" + request.cloudTool() + "\"")));
        }
        boolean replace = Boolean.TRUE.equals(request.replace());
        List<CheckDefinition> existing = definitions(group.id);
        List<CheckInput> inputs = CheckTemplates.checks(CheckTemplates.byId(request.template().strip()).get(), cloud, request.restoreSource());
        Map<String, String> kinds = replace ? new HashMap<>() : CheckInputs.kindsOf(existing);
        inputs.forEach(input -> kinds.put(input.checkId(), input.kind()));
        List<ValidCheck> valid = new ArrayList<>();
        for (CheckInput input : inputs) {
            try {
                valid.add(CheckInputs.validate(input, null, kinds));
            } catch (InvalidInput invalid) {
                // the one choice of the request that can make a template's check invalid: the restore source
                throw new InvalidInput("The template's checks do not fit; nothing was changed", invalid.errors().stream()
                        .map(e -> e.field().equals("settings.sourceCheckId") ? new FieldError("restoreSource", e.message()) : e).toList());
            }
        }
        if (!replace) {
            List<String> clashes = valid.stream().map(ValidCheck::checkId)
                    .filter(id -> existing.stream().anyMatch(d -> d.checkId.equals(id))).toList();
            if (!clashes.isEmpty()) {
                throw new Conflict("The group already has the checks " + String.join(", ", clashes)
                        + "; apply the template with replace: true to start the set again, or edit those checks");
            }
        }
        List<CheckView> before = existing.stream().map(CheckViews::view).toList();
        if (replace) {
            existing.forEach(CheckDefinition::delete);
            CheckDefinition.flush();
            // a check the new set no longer has was removed from the group: its "not here" rows go with it
            notHere.dropFor(caller, group, existing.stream().map(d -> d.checkId)
                    .filter(id -> valid.stream().noneMatch(v -> v.checkId().equals(id))).toList(),
                    "the group's set was started again from the template \"" + request.template().strip() + "\" without it");
        }
        for (ValidCheck check : valid) {
            CheckDefinition definition = new CheckDefinition();
            definition.groupId = group.id;
            definition.providerId = group.providerId;
            write(definition, check);
            definition.persist();
        }
        List<CheckView> after = definitions(group.id).stream().map(CheckViews::view).toList();
        groupChanged(caller, group, "group-checks.template-applied", request.template().strip(), before, after);
        return after;
    }

    // ---- shared pieces

    private void groupChanged(Caller caller, PracticeGroup group, String action, String targetId, Object before, Object after) {
        configurationChanges.groupChanged(group.providerId, group.id);
        inputChanged.fire(PolicyInputChanged.group(group.id));
        audit.record(caller, new AuditLog.Change(action, "group-check", group.id + "/" + targetId,
                new Tenancy(group.providerId, group.id, null), before, after));
    }

    /** A restore test of the group's set, or of a practice's own checks in the group, restores this check. */
    private void refuseIfRestoreSource(UUID groupId, String checkId, String what) {
        for (CheckDefinition d : definitions(groupId)) {
            if (d.kind.equals("RESTORE_TEST") && sourceOf(d.settings).equals(checkId)) {
                throw new Conflict("The restore test \"" + d.checkId + "\" restores \"" + checkId + "\"; give it another source "
                        + "before you " + what);
            }
        }
        // a practice's own restore test may restore the group's check too, unless the practice has its own check of that id
        List<PracticeCheck> practiceTests = PracticeCheck.list("removed = false and kind = 'RESTORE_TEST' and practiceId in "
                + "(select p.id from Practice p where p.groupId = ?1 and p.decommissionedAt is null)", groupId);
        for (PracticeCheck test : practiceTests) {
            boolean ownSource = PracticeCheck.count("practiceId = ?1 and checkId = ?2 and removed = false", test.practiceId, checkId) > 0;
            if (!ownSource && sourceOf(test.settings).equals(checkId)) {
                Practice practice = Practice.findById(test.practiceId);
                throw new Conflict("The restore test \"" + test.checkId + "\" of " + practice.name + " restores the group's \""
                        + checkId + "\"; give it another source before you " + what);
            }
        }
    }

    private static List<CheckDefinition> definitions(UUID groupId) {
        return CheckDefinition.list("groupId = ?1 order by checkId", groupId);
    }

    private static void write(CheckDefinition definition, ValidCheck check) {
        definition.checkId = check.checkId();
        definition.kind = check.kind();
        definition.intervalSeconds = check.intervalSeconds();
        definition.settings = check.settings();
    }

    private PracticeGroup lockedGroup(TenantScope scope, UUID groupId) {
        // locking the group serialises changes of its set, so two cannot both add the same id
        PracticeGroup group = PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElseThrow(NotVisible::group);
        if (group.archived()) {
            throw new Conflict("The group \"" + group.name + "\" was archived on " + group.archivedAt + " by " + group.archivedBy
                    + "; un-archive it before changing its checks");
        }
        return group;
    }

}
