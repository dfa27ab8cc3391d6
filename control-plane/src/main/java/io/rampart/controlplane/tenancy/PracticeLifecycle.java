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
import io.rampart.controlplane.shared.TenantScope;

/**
 * Creates, renames, moves and decommissions practices, each change audited with the practice before and after.
 *
 * <p>Decommissioning is final and deletes nothing: it fires {@link PracticeDecommissioned} inside the transaction, on
 * which the agents feature revokes the practice's agents and its unused enrolment tokens, and the alerts feature
 * resolves its open alerts with the reason and gives up its unsent emails and webhook calls (no email is sent about a
 * practice being decommissioned). Its data and history stay, read-only. Moving fires {@link PracticeMoved}, on which
 * each feature re-scopes what describes the practice now, and announces the new configuration to its agents.
 */
@ApplicationScoped
public class PracticeLifecycle {

    @Inject
    Clock clock;
    @Inject
    AuditLog audit;
    @Inject
    GroupLifecycle groups;
    @Inject
    Event<PracticeDecommissioned> decommissioned;
    @Inject
    Event<PracticeMoved> moved;

    /**
     * What the audit log keeps of a practice. The compliance report reads {@code groupId} before and after of the
     * {@code practice.moved} records to know when a practice was in which group (compliance/GroupMembership).
     */
    public record PracticeState(UUID id, UUID groupId, String name, Instant decommissionedAt, String decommissionedBy, String reason) {
        static PracticeState of(Practice practice) {
            return new PracticeState(practice.id, practice.groupId, practice.name, practice.decommissionedAt, practice.decommissionedBy,
                    practice.decommissionReason);
        }
    }

    /** A new practice in the group: 404 outside the scope, 409 for an archived group, 400 under name for a bad or used name. */
    @Transactional(TxType.MANDATORY)
    public Practice create(Caller caller, UUID groupId, String name) {
        return create(caller, groupId, UUID.randomUUID(), name);
    }

    /** As {@link #create(Caller, UUID, String)} with the practice's id chosen: the demo's realm users carry fixed practice ids. */
    @Transactional(TxType.MANDATORY)
    public Practice create(Caller caller, UUID groupId, UUID id, String name) {
        List<FieldError> errors = new ArrayList<>();
        String validName = TenancyNames.name("name", name, errors);
        PracticeGroup group = groups.lockedIn(caller.scope(), groupId);
        refuseArchived(group, "add a practice to it");
        if (validName != null) {
            refuseUsedName(group, null, validName, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The practice was not added; correct the fields shown", errors);
        }
        Practice practice = new Practice();
        practice.id = id;
        practice.providerId = group.providerId;
        practice.groupId = group.id;
        practice.name = validName;
        practice.createdAt = clock.instant();
        practice.persist();
        audit.record(caller, new AuditLog.Change("practice.created", "practice", practice.id.toString(), practice.tenancy(), null,
                PracticeState.of(practice)));
        return practice;
    }

    /** Renames the practice; 409 when decommissioned, 400 under name for a bad name or one its group already has. */
    @Transactional(TxType.MANDATORY)
    public Practice rename(Caller caller, UUID practiceId, String name) {
        List<FieldError> errors = new ArrayList<>();
        String validName = TenancyNames.name("name", name, errors);
        Practice practice = lockedIn(caller.scope(), practiceId);
        refuseDecommissioned(practice, "rename it");
        PracticeGroup group = groups.lockedIn(caller.scope(), practice.groupId);
        if (validName != null) {
            refuseUsedName(group, practice.id, validName, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The practice was not renamed; correct the fields shown", errors);
        }
        PracticeState before = PracticeState.of(practice);
        practice.name = validName;
        if (!before.name().equals(practice.name)) {
            audit.record(caller, new AuditLog.Change("practice.renamed", "practice", practice.id.toString(), practice.tenancy(), before,
                    PracticeState.of(practice)));
        }
        return practice;
    }

    /**
     * Moves the practice to another live group of its provider. 404 for a practice or group outside the scope (another
     * provider's group is not there); 409 for a decommissioned practice or an archived group; 400 under groupId for its
     * own group, under name when the new group has a practice of that name. Its agents get the new group's checks.
     */
    @Transactional(TxType.MANDATORY)
    public Practice move(Caller caller, UUID practiceId, UUID toGroupId) {
        Practice practice = lockedIn(caller.scope(), practiceId);
        refuseDecommissioned(practice, "move it");
        if (practice.groupId.equals(toGroupId)) {
            throw new InvalidInput("The practice was not moved", List.of(new FieldError("groupId", "the practice is in that group already")));
        }
        // both groups locked, in id order, so two moves in opposite directions cannot deadlock
        UUID from = practice.groupId;
        if (from.compareTo(toGroupId) < 0) {
            groups.lockedIn(caller.scope(), from);
        }
        PracticeGroup to = groups.lockedIn(caller.scope(), toGroupId);
        if (from.compareTo(toGroupId) > 0) {
            groups.lockedIn(caller.scope(), from);
        }
        refuseArchived(to, "move a practice into it");
        List<FieldError> errors = new ArrayList<>();
        refuseUsedName(to, practice.id, practice.name, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("The practice was not moved; rename it or the other practice first", errors);
        }
        PracticeState before = PracticeState.of(practice);
        practice.groupId = to.id;
        Instant now = clock.instant();
        // each feature re-scopes its own rows in this transaction (see PracticeMoved)
        moved.fire(new PracticeMoved(practice.providerId, practice.id, from, to.id, now, caller));
        audit.record(caller, new AuditLog.Change("practice.moved", "practice", practice.id.toString(), practice.tenancy(), before,
                PracticeState.of(practice)));
        return practice;
    }

    /** Decommissions the practice (see the class comment); decommissioning a decommissioned practice changes nothing. */
    @Transactional(TxType.MANDATORY)
    public Practice decommission(Caller caller, UUID practiceId, String reason) {
        Practice practice = lockedIn(caller.scope(), practiceId);
        if (practice.decommissioned()) {
            return practice;
        }
        String why = null;
        if (reason != null && !reason.isBlank()) {
            List<FieldError> errors = new ArrayList<>();
            why = TenancyNames.text("reason", reason, 500, errors);
            if (!errors.isEmpty()) {
                throw new InvalidInput("The practice was not decommissioned; correct the fields shown", errors);
            }
        }
        PracticeState before = PracticeState.of(practice);
        practice.decommissionedAt = clock.instant();
        practice.decommissionedBy = caller.username();
        practice.decommissionReason = why;
        decommissioned.fire(new PracticeDecommissioned(practice.tenancy(), practice.decommissionedAt, practice.decommissionedBy, why));
        audit.record(caller, new AuditLog.Change("practice.decommissioned", "practice", practice.id.toString(), practice.tenancy(), before,
                PracticeState.of(practice)));
        return practice;
    }

    private static Practice lockedIn(TenantScope scope, UUID practiceId) {
        return Practice.<Practice> find("id = :id and " + scope.where("providerId", "groupId", "id"),
                scope.parameters("providerId", "groupId", "id").and("id", practiceId)).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional().orElseThrow(NotVisible::practice);
    }

    private static void refuseDecommissioned(Practice practice, String what) {
        if (practice.decommissioned()) {
            throw new Conflict("The practice \"" + practice.name + "\" was decommissioned on " + practice.decommissionedAt
                    + " by " + practice.decommissionedBy + "; it is kept read-only, so you cannot " + what);
        }
    }

    private static void refuseArchived(PracticeGroup group, String what) {
        if (group.archived()) {
            throw new Conflict("The group \"" + group.name + "\" was archived on " + group.archivedAt + " by " + group.archivedBy
                    + "; un-archive it to " + what);
        }
    }

    private static void refuseUsedName(PracticeGroup group, UUID except, String name, List<FieldError> errors) {
        boolean used = Practice.count("groupId = ?1 and decommissionedAt is null and lower(name) = ?2 and id <> ?3", group.id,
                TenancyNames.key(name), except == null ? new UUID(0, 0) : except) > 0;
        if (used) {
            errors.add(new FieldError("name", "the group \"" + group.name + "\" already has a practice named \"" + name
                    + "\"; choose another name"));
        }
    }
}
