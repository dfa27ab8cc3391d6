package io.rampart.controlplane.policy.group;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.PolicyReader;
import io.rampart.controlplane.policy.document.PolicyWriter;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * Each group's one effective policy and its history of versions. A group that never changed its
 * policy has the reference policy as version 0; every change writes the next version.
 */
@ApplicationScoped
public class GroupPolicies {

    static final String REFERENCE_COMMENT = "the reference policy (never changed)";

    @Inject
    AuditLog audit;
    @Inject
    ConfigurationChanges configurationChanges;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    /** A version of a group's policy; version 0, unchanged by anyone, is the reference policy. */
    public record PolicyVersion(UUID groupId, int version, PolicyDocument document, String changedBy, Instant changedAt,
            String comment) {
    }

    /** The group's policy for evaluation, whoever asks (the evaluator works for every tenant). */
    @Transactional
    public PolicyVersion effective(UUID groupId) {
        return current(groupId);
    }

    /** The rules to evaluate for the group's practices, with the group's thresholds. */
    @Transactional
    public List<Rule> rulesFor(UUID groupId) {
        return current(groupId).document().rulesToEvaluate();
    }

    /** The group if the scope includes it; empty for a group that does not exist or that the caller may not see. */
    @Transactional
    public Optional<PracticeGroup> groupIn(TenantScope scope, UUID groupId) {
        return PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).firstResultOptional();
    }

    @Transactional
    public Optional<PolicyVersion> current(TenantScope scope, UUID groupId) {
        return groupIn(scope, groupId).map(group -> current(group.id));
    }

    /** Every stored version, newest first; empty list when the group still has the reference policy. */
    @Transactional
    public Optional<List<PolicyVersion>> history(TenantScope scope, UUID groupId) {
        return groupIn(scope, groupId).map(group -> GroupPolicyVersion.<GroupPolicyVersion> list(
                "groupId = ?1 order by version desc", group.id).stream().map(this::toVersion).toList());
    }

    /**
     * Makes the document the group's policy as a new version, or refuses it (InvalidInput) and changes
     * nothing. {@code basedOnVersion}, when given, must be the current version.
     */
    @Transactional
    public PolicyVersion change(Caller caller, UUID groupId, JsonNode document, String comment, Integer basedOnVersion) {
        TenantScope scope = caller.scope();
        // locking the group serialises concurrent changes, so two cannot both write the same next version
        Optional<PracticeGroup> group = PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (group.isEmpty()) {
            throw NotVisible.group();
        }
        PolicyDocument valid = PolicyReader.read(document, "document");
        PolicyVersion before = current(groupId);
        if (basedOnVersion != null && basedOnVersion != before.version()) {
            throw new Conflict("The policy changed meanwhile (you edited version " + basedOnVersion + ", it is now version "
                    + before.version() + "); reload it and apply your change again");
        }
        GroupPolicyVersion row = new GroupPolicyVersion();
        row.groupId = groupId;
        row.providerId = group.get().providerId;
        row.version = before.version() + 1;
        row.document = PolicyWriter.write(valid).toString();
        row.changedBy = caller.username();
        row.changedAt = now();
        row.comment = comment == null || comment.isBlank() ? null : comment.strip();
        // written before the pointer that references it, whatever order Hibernate would choose
        row.persistAndFlush();
        GroupPolicy pointer = GroupPolicy.findById(groupId);
        if (pointer == null) {
            pointer = new GroupPolicy();
            pointer.groupId = groupId;
            pointer.providerId = row.providerId;
            pointer.currentVersion = row.version;
            pointer.persist();
        } else {
            pointer.currentVersion = row.version;
        }
        PolicyVersion after = toVersion(row);
        inputChanged.fire(PolicyInputChanged.group(groupId));
        configurationChanges.groupChanged(row.providerId, groupId);
        audit.record(caller, new AuditLog.Change("group-policy.changed", "group-policy", groupId.toString(),
                new Tenancy(row.providerId, groupId, null), audited(before), audited(after)));
        return after;
    }

    /** What the audit log keeps of a version: all of it, the document as JSON. */
    public record AuditedVersion(int version, JsonNode document, String changedBy, Instant changedAt, String comment) {
    }

    private static AuditedVersion audited(PolicyVersion version) {
        return new AuditedVersion(version.version(), PolicyWriter.write(version.document()), version.changedBy(), version.changedAt(),
                version.comment());
    }

    private PolicyVersion current(UUID groupId) {
        GroupPolicy pointer = GroupPolicy.findById(groupId);
        if (pointer == null) {
            return new PolicyVersion(groupId, 0, PolicyDocument.reference(), null, null, REFERENCE_COMMENT);
        }
        return toVersion(GroupPolicyVersion.findById(new GroupPolicyVersion.Key(groupId, pointer.currentVersion)));
    }

    private PolicyVersion toVersion(GroupPolicyVersion row) {
        return new PolicyVersion(row.groupId, row.version, stored(row.document), row.changedBy, row.changedAt, row.comment);
    }

    /** A stored document was valid when written; if it no longer reads, the code changed under it and a person must look. */
    PolicyDocument stored(String document) {
        try {
            return PolicyReader.read(json.readTree(document), "");
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("A stored policy no longer reads as a valid policy: " + e.getMessage(), e);
        }
    }

    /** Microseconds, as the database keeps them, so an answer shows what a later read will. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
