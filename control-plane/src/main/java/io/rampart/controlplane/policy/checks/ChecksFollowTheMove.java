package io.rampart.controlplane.policy.checks;

import static io.rampart.controlplane.policy.checks.CheckViews.sourceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.policy.ConfiguredChecks.Configured;
import io.rampart.controlplane.policy.ConfiguredChecks.Origin;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A practice keeps its own checks when it moves, but its group's checks become the new group's, inside the move's
 * transaction:
 * <ul>
 * <li>its "not here" rows for checks the new group does not have go (audited, see NotHereRows): they said no to the
 * old group's checks, and would otherwise switch off, unseen, a check the new group adds later under that id. Those
 * for checks the new group has stay, shown on the practice's checks page: they are the practice's word about itself.
 * <li>a restore test (its own, or the new group's) whose source the practice would not run there, or runs as a kind
 * that cannot be restored, refuses the move: 409 naming each restore test and its source, and nothing changes. The
 * person gives the restore test another source or adds the source, then moves the practice; the agent is never sent
 * a restore test it cannot run.
 * </ul>
 */
@ApplicationScoped
public class ChecksFollowTheMove {

    @Inject
    ConfiguredChecks configured;
    @Inject
    NotHereRows notHere;

    void onMoved(@Observes PracticeMoved move) {
        Practice practice = Practice.findById(move.practiceId());
        PracticeGroup to = PracticeGroup.findById(move.toGroupId());
        notHere.dropStaleAt(move.by(), practice, "the practice moved to the group \"" + to.name + "\", which has no check of that id");
        PracticeCheck.flush();
        // the practice's checks as they would be in the new group (the move set its groupId already)
        Map<String, Configured> checks = configured.of(practice).stream()
                .collect(Collectors.toMap(c -> c.definition().checkId, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (Configured check : checks.values()) {
            CheckDefinition test = check.definition();
            if (!test.kind.equals("RESTORE_TEST")) {
                continue;
            }
            String source = sourceOf(test.settings);
            Configured restored = checks.get(source);
            String whose = check.origin() == Origin.GROUP ? "the group's restore test \"" + test.checkId + "\""
                    : "its restore test \"" + test.checkId + "\"";
            if (restored == null) {
                problems.add(whose + " restores \"" + source + "\", which " + (check.origin() == Origin.GROUP
                        ? "this practice does not run (it says \"not here\" to it); drop the practice's \"not here\" for \"" + source + "\""
                        : "the group \"" + to.name + "\" does not have and the practice does not add itself; give the restore test another "
                                + "source, or add \"" + source + "\" to the practice or to that group"));
            } else if (!CheckInputs.RESTORABLE_KINDS.contains(restored.definition().kind)) {
                problems.add(whose + " restores \"" + source + "\", which at this practice in the group \"" + to.name + "\" is a "
                        + restored.definition().kind + " check and cannot be restored; give the restore test a BACKUP_FOLDER, "
                        + "RESTIC_REPOSITORY or BORG_REPOSITORY check as its source");
            }
        }
        if (!problems.isEmpty()) {
            throw new Conflict("The practice \"" + practice.name + "\" was not moved to the group \"" + to.name + "\": "
                    + String.join("; ", problems) + ". Then move it again.");
        }
    }
}
