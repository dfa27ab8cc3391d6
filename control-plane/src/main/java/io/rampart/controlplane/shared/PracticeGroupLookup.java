package io.rampart.controlplane.shared;

import java.util.Optional;
import java.util.UUID;

/**
 * The group a practice is in today, for {@link CurrentCaller} (a practice manager's token names the group the practice
 * was in when the token was issued). Implemented by tenancy, which owns the practice table.
 */
public interface PracticeGroupLookup {

    /** The practice's current group when it is a practice of this provider; empty otherwise (or when there is none). */
    Optional<UUID> currentGroupOf(UUID providerId, UUID practiceId);
}
