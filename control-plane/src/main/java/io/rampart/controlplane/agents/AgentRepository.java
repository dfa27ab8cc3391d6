package io.rampart.controlplane.agents;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

import io.rampart.controlplane.shared.TenantScope;

@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<Agent, UUID> {

    public Optional<Agent> findIn(TenantScope scope, UUID id) {
        return find("id = :id and " + scope.where(), scope.parameters().and("id", id)).firstResultOptional();
    }

    public List<Agent> listByPractice(UUID practiceId) {
        return list("practiceId = ?1 order by enrolledAt", practiceId);
    }
}
