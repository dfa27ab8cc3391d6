package io.rampart.controlplane.policy.templates;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.shared.TenantScope;

/** Templates belong to a provider: a scope sees its provider's, and only those. */
@ApplicationScoped
public class PolicyTemplateRepository implements PanacheRepositoryBase<PolicyTemplate, UUID> {

    public List<PolicyTemplate> listIn(TenantScope scope) {
        return list(scope.where("providerId", null, null), Sort.by("name"), scope.parameters("providerId", null, null));
    }

    public Optional<PolicyTemplate> findIn(TenantScope scope, UUID id) {
        return find("id = :id and " + scope.where("providerId", null, null), scope.parameters("providerId", null, null).and("id", id))
                .firstResultOptional();
    }

    /** Another template of the provider with this name, if any. */
    public boolean nameTaken(UUID providerId, String name, UUID except) {
        return count("providerId = ?1 and lower(name) = lower(?2) and id <> ?3", providerId, name, except) > 0;
    }
}
