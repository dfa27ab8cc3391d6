package io.rampart.controlplane.tenancy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.TenantScope;

/** Practices, read through a tenant scope: a practice outside it does not exist for the caller. */
@ApplicationScoped
public class PracticeRepository implements PanacheRepositoryBase<Practice, UUID> {

    /** The live practices in the scope, by name: a decommissioned practice has left the fleet. */
    public List<Practice> listIn(TenantScope scope) {
        return list("decommissionedAt is null and " + scope.where("providerId", "groupId", "id"), Sort.by("name"),
                scope.parameters("providerId", "groupId", "id"));
    }

    /** Every practice in the scope, decommissioned ones too (their history stays readable), by name. */
    public List<Practice> listAllIn(TenantScope scope) {
        return list(scope.where("providerId", "groupId", "id"), Sort.by("name"), scope.parameters("providerId", "groupId", "id"));
    }

    public Optional<Practice> findIn(TenantScope scope, UUID id) {
        return find("id = :id and " + scope.where("providerId", "groupId", "id"),
                scope.parameters("providerId", "groupId", "id").and("id", id)).firstResultOptional();
    }

    /**
     * The practice in the scope, for a change to it: 404 (NotVisible) outside the scope, 409 once it is decommissioned (its
     * data is then kept read-only).
     */
    public Practice liveIn(TenantScope scope, UUID id) {
        Practice practice = findIn(scope, id).orElseThrow(NotVisible::practice);
        if (practice.decommissioned()) {
            throw new Conflict("The practice \"" + practice.name + "\" was decommissioned on "
                    + practice.decommissionedAt + " by " + practice.decommissionedBy + "; it is kept read-only and takes no changes");
        }
        return practice;
    }

    /** Unscoped, for the agent API (agents are authenticated by credential, not by a person's token). */
    public Optional<Practice> find(UUID id) {
        return findByIdOptional(id);
    }
}
