package io.rampart.controlplane.policy.checks;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * A practice's "not here" rows ({@link PracticeCheck#removed}) say no to one check of its group. They go when that check
 * leaves the group, in the same transaction and each audited, so a check the group adds later under the same id runs at
 * every practice instead of being switched off, unseen, where someone once said no to a different check.
 */
@ApplicationScoped
public class NotHereRows {

    /** What the audit log keeps of a "not here" row that went with its group's check. */
    public record Dropped(String checkId, boolean removed, String because) {
    }

    @Inject
    AuditLog audit;

    /**
     * Deletes the live practices' "not here" rows for these check ids of the group, audited as
     * {@code practice-check.not-here-dropped} with the reason; returns how many went.
     */
    @Transactional(TxType.MANDATORY)
    public int dropFor(Caller caller, PracticeGroup group, Collection<String> checkIds, String because) {
        if (checkIds.isEmpty()) {
            return 0;
        }
        return drop(caller, PracticeCheck.list("removed = true and checkId in ?1 and practiceId in "
                + "(select p.id from Practice p where p.groupId = ?2 and p.decommissionedAt is null) order by practiceId, checkId",
                checkIds, group.id), because);
    }

    /**
     * Deletes the practice's "not here" rows for checks its group (practice.groupId, as it is now) does not have: after a
     * move, its word on the old group's checks. Audited as {@link #dropFor}; returns how many went.
     */
    @Transactional(TxType.MANDATORY)
    public int dropStaleAt(Caller caller, Practice practice, String because) {
        return drop(caller, PracticeCheck.list("practiceId = ?1 and removed = true and checkId not in "
                + "(select d.checkId from CheckDefinition d where d.groupId = ?2) order by checkId", practice.id, practice.groupId), because);
    }

    private int drop(Caller caller, List<PracticeCheck> rows, String because) {
        Map<UUID, Practice> practices = new HashMap<>();
        for (PracticeCheck row : rows) {
            Practice practice = practices.computeIfAbsent(row.practiceId, id -> Practice.findById(id));
            audit.record(caller, new AuditLog.Change("practice-check.not-here-dropped", "practice-check", practice.id + "/" + row.checkId,
                    practice.tenancy(), new Dropped(row.checkId, true, null), new Dropped(row.checkId, false, because)));
            row.delete();
        }
        return rows.size();
    }
}
