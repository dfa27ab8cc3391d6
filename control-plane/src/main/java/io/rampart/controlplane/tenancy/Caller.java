package io.rampart.controlplane.tenancy;

import java.util.Optional;
import java.util.UUID;

/**
 * The signed-in person behind a request: who, in which role, and where in the tenancy.
 * Built from the access token by {@link CurrentCaller}.
 */
public record Caller(String subject, String username, String name, Role role, TenantScope scope) {

    public String describe() {
        return username + " (" + role.claimValue() + ")";
    }

    public Optional<UUID> groupId() {
        return Optional.ofNullable(scope.groupId());
    }

    public Optional<UUID> practiceId() {
        return Optional.ofNullable(scope.practiceId());
    }
}
