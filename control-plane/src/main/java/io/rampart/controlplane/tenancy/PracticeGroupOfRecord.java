package io.rampart.controlplane.tenancy;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.rampart.controlplane.shared.PracticeGroupLookup;

/** The practice's group as the practice table has it now (shared/PracticeGroupLookup). */
@ApplicationScoped
public class PracticeGroupOfRecord implements PracticeGroupLookup {

    @Override
    public Optional<UUID> currentGroupOf(UUID providerId, UUID practiceId) {
        Practice row = Practice.findById(practiceId);
        return row != null && providerId.equals(row.providerId) ? Optional.of(row.groupId) : Optional.empty();
    }
}
