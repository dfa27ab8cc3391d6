package io.rampart.controlplane.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.controlplane.shared.TenantScope;

/**
 * Creates, renames, re-zones, archives and un-archives a provider's groups, each change audited with the group before
 * and after. A group with live practices is not archived (409 naming them): its practices are moved or decommissioned
 * first, so that archiving never revokes an agent or closes an alert by surprise. An archived group is read-only
 * (un-archiving is the one change it takes) and leaves the fleet, the digests and the reports; its history stays.
 */
@ApplicationScoped
public class GroupLifecycle {

    @Inject
    Clock clock;
    @Inject
    AuditLog audit;
    @Inject
    Event<GroupArchiveChanged> archiveChanged;

    /** What the audit log keeps of a group. */
    public record GroupState(UUID id, String name, String timeZone, Instant archivedAt, String archivedBy) {
        static GroupState of(PracticeGroup group) {
            return new GroupState(group.id, group.name, group.timeZone, group.archivedAt, group.archivedBy);
        }
    }

    /** A new group of the caller's provider. Throws InvalidInput (name, timeZone) for a bad or already used name or zone. */
    @Transactional(TxType.MANDATORY)
    public PracticeGroup create(Caller caller, String name, String timeZone) {
        return create(caller, UUID.randomUUID(), name, timeZone);
    }

    /** As {@link #create(Caller, String, String)} with the id chosen: the demo's realm users carry fixed group ids. */
    @Transactional(TxType.MANDATORY)
    public PracticeGroup create(Caller caller, UUID id, String name, String timeZone) {
        UUID providerId = caller.scope().providerId();
        List<FieldError> errors = new ArrayList<>();
        String validName = TenancyNames.name("name", name, errors);
        String zone = TenancyNames.timeZone("timeZone", timeZone, errors);
        lockProvider(providerId);
        if (validName != null) {
            refuseUsedName(providerId, null, validName, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The group was not created; correct the fields shown", errors);
        }
        PracticeGroup group = new PracticeGroup();
        group.id = id;
        group.providerId = providerId;
        group.name = validName;
        group.timeZone = zone;
        group.createdAt = clock.instant();
        group.persist();
        audit.record(caller, new AuditLog.Change("group.created", "group", group.id.toString(), tenancy(group), null, GroupState.of(group)));
        return group;
    }

    /** Renames the group and sets its time zone (both given, as the form shows them). 404 outside the scope, 409 when archived. */
    @Transactional(TxType.MANDATORY)
    public PracticeGroup change(Caller caller, UUID groupId, String name, String timeZone) {
        List<FieldError> errors = new ArrayList<>();
        String validName = TenancyNames.name("name", name, errors);
        String zone = TenancyNames.timeZone("timeZone", timeZone, errors);
        lockProvider(caller.scope().providerId());
        PracticeGroup group = lockedIn(caller.scope(), groupId);
        if (group.archived()) {
            throw new Conflict("The group \"" + group.name + "\" was archived on " + group.archivedAt + " by " + group.archivedBy
                    + "; un-archive it before changing it");
        }
        if (validName != null) {
            refuseUsedName(group.providerId, group.id, validName, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The group was not changed; correct the fields shown", errors);
        }
        GroupState before = GroupState.of(group);
        group.name = validName;
        group.timeZone = zone;
        GroupState after = GroupState.of(group);
        if (!before.equals(after)) {
            audit.record(caller, new AuditLog.Change("group.changed", "group", group.id.toString(), tenancy(group), before, after));
        }
        return group;
    }

    /**
     * Archives the group. 409 naming its live practices while it has any (move or decommission them first); archiving
     * an archived group changes nothing.
     */
    @Transactional(TxType.MANDATORY)
    public PracticeGroup archive(Caller caller, UUID groupId) {
        PracticeGroup group = lockedIn(caller.scope(), groupId);
        if (group.archived()) {
            return group;
        }
        List<Practice> live = Practice.list("groupId = ?1 and decommissionedAt is null order by name", group.id);
        if (!live.isEmpty()) {
            throw new Conflict("The group \"" + group.name + "\" still has " + live.size() + " live practice"
                    + (live.size() == 1 ? "" : "s") + ": " + String.join(", ", live.stream().map(p -> "\"" + p.name + "\"").toList())
                    + ". Move each to another group or decommission it, then archive the group");
        }
        GroupState before = GroupState.of(group);
        group.archivedAt = clock.instant();
        group.archivedBy = caller.username();
        audit.record(caller, new AuditLog.Change("group.archived", "group", group.id.toString(), tenancy(group), before, GroupState.of(group)));
        archiveChanged.fire(new GroupArchiveChanged(group.providerId, group.id, true));
        return group;
    }

    /** Brings an archived group back; 400 under name when a live group took its name meanwhile. */
    @Transactional(TxType.MANDATORY)
    public PracticeGroup unarchive(Caller caller, UUID groupId) {
        lockProvider(caller.scope().providerId());
        PracticeGroup group = lockedIn(caller.scope(), groupId);
        if (!group.archived()) {
            return group;
        }
        List<FieldError> errors = new ArrayList<>();
        refuseUsedName(group.providerId, group.id, group.name, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("The group was not un-archived: a live group has its name; rename that one first", errors);
        }
        GroupState before = GroupState.of(group);
        group.archivedAt = null;
        group.archivedBy = null;
        audit.record(caller, new AuditLog.Change("group.unarchived", "group", group.id.toString(), tenancy(group), before, GroupState.of(group)));
        archiveChanged.fire(new GroupArchiveChanged(group.providerId, group.id, false));
        return group;
    }

    /** The group in the caller's scope, locked for the change; 404 when it is not there. */
    PracticeGroup lockedIn(TenantScope scope, UUID groupId) {
        return PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElseThrow(NotVisible::group);
    }

    /** Two admins naming two groups alike at once: the second waits for the first and then sees its name taken. */
    private static void lockProvider(UUID providerId) {
        Provider.find("id", providerId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    private static void refuseUsedName(UUID providerId, UUID except, String name, List<FieldError> errors) {
        boolean used = PracticeGroup.count("providerId = ?1 and archivedAt is null and lower(name) = ?2 and id <> ?3", providerId,
                TenancyNames.key(name), except == null ? new UUID(0, 0) : except) > 0;
        if (used) {
            errors.add(new FieldError("name", "your provider already has a group named \"" + name + "\"; choose another name"));
        }
    }

    static Tenancy tenancy(PracticeGroup group) {
        return new Tenancy(group.providerId, group.id, null);
    }
}
