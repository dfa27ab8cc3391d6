package io.rampart.controlplane.shared;

import java.util.Optional;
import java.util.UUID;

/**
 * The signed-in person behind a request: who, in which role, and where in the tenancy.
 * Built from the access token by {@link CurrentCaller}. A platform operator has no scope (null): the
 * endpoints that read tenant data do not admit that role.
 */
public record Caller(String subject, String username, String name, Role role, TenantScope scope) {

    public String describe() {
        return username + " (" + role.claimValue() + ")";
    }

    public Optional<UUID> groupId() {
        return scope == null ? Optional.empty() : Optional.ofNullable(scope.groupId());
    }

    public Optional<UUID> practiceId() {
        return scope == null ? Optional.empty() : Optional.ofNullable(scope.practiceId());
    }

    public boolean isOperator() {
        return role == Role.PLATFORM_OPERATOR;
    }
}
