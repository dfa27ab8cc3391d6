package io.rampart.controlplane.agents;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.rampart.controlplane.sources.PracticeAgents;

/** What sources learns of a practice's agents (sources/PracticeAgents): the agents that are not revoked. */
@ApplicationScoped
public class LiveAgentsOfAPractice implements PracticeAgents {

    @Override
    public List<LiveAgent> live(UUID practiceId) {
        return Agent.<Agent> list("practiceId = ?1 and revokedAt is null order by enrolledAt", practiceId).stream()
                .map(agent -> new LiveAgent(agent.id, agent.hostname, agent.publicKey, agent.enrolledAt))
                .toList();
    }
}
