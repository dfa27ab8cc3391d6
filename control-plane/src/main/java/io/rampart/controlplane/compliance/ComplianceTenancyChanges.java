package io.rampart.controlplane.compliance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A moved practice's current compliance (overall and per rule) belongs to its new group and is evaluated again at once
 * under that group's policy; its compliance history keeps the group each change happened in, and each group's monthly
 * report shows the practice for the time it was the group's own (MonthlyReportService, from the move's audit record). A decommissioned practice is no longer evaluated
 * (ComplianceEvaluation takes only live practices); its last state stays as it was.
 */
@ApplicationScoped
public class ComplianceTenancyChanges {

    void onMoved(@Observes PracticeMoved move) {
        PracticeCompliance.update("groupId = ?1, nextDueAt = ?2 where practiceId = ?3", move.toGroupId(), move.at(), move.practiceId());
        RuleState.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
    }
}
