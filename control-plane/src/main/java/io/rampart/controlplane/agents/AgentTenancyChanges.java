package io.rampart.controlplane.agents;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.rampart.controlplane.tenancy.PracticeDecommissioned;
import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * What the tenancy lifecycle means for agents, done inside the change's transaction: a decommissioned practice's agents
 * are revoked (the gRPC API then refuses their certificates, as for any revoked agent) and its unused enrolment tokens
 * expire; a moved practice's agents and unused tokens belong to the new group, so the events they send carry it.
 */
@ApplicationScoped
public class AgentTenancyChanges {

    private static final Logger LOG = Logger.getLogger(AgentTenancyChanges.class);

    void onDecommissioned(@Observes PracticeDecommissioned change) {
        int revoked = Agent.update("revokedAt = ?1 where practiceId = ?2 and revokedAt is null", change.at(), change.practice().practiceId());
        int expired = EnrolmentToken.update("expiresAt = ?1 where practiceId = ?2 and usedAt is null and expiresAt > ?1", change.at(),
                change.practice().practiceId());
        LOG.infof("Practice %s decommissioned by %s: %d agent(s) revoked, %d unused enrolment token(s) expired",
                change.practice().practiceId(), change.by(), revoked, expired);
    }

    void onMoved(@Observes PracticeMoved move) {
        Agent.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
        EnrolmentToken.update("groupId = ?1 where practiceId = ?2 and usedAt is null", move.toGroupId(), move.practiceId());
    }
}
