package io.rampart.controlplane.tenancy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Practices, always read through here so that tenancy scoping has one home. */
@ApplicationScoped
public class PracticeRepository implements PanacheRepositoryBase<Practice, UUID> {

    public List<Practice> listAll() {
        return listAll(Sort.by("name"));
    }

    public Optional<Practice> find(UUID id) {
        return findByIdOptional(id);
    }
}
