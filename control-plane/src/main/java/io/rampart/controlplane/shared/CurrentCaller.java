package io.rampart.controlplane.shared;

import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of the current request (a request-scoped bean, so singletons such as REST
 * resources can inject it). Reads the caller's role and tenancy from the access token (claims provider_id, group_id,
 * practice_id, put there by the identity provider's mappers). A token whose tenancy does not
 * fit its role is refused: better no access than the wrong access.
 */
@RequestScoped
public class CurrentCaller {

    @Inject
    SecurityIdentity identity;
    @Inject
    JsonWebToken token;
    @Inject
    PracticeGroupLookup practiceGroups;

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            caller = read();
        }
        return caller;
    }

    private Caller read() {
        Set<String> roles = identity.getRoles();
        // the most powerful role wins when someone holds several
        Role role = null;
        for (Role candidate : Role.values()) {
            if (roles.contains(candidate.claimValue())) {
                role = candidate;
                break;
            }
        }
        if (role == null) {
            throw new NotPermitted("Your account has no Rampart role; ask your provider's administrator for one");
        }
        if (role == Role.PLATFORM_OPERATOR) {
            // an operator works above the tenancy: no provider, and no tenant data (its endpoints allow no other role)
            return new Caller(token.getSubject(), username(), name(), role, null);
        }
        UUID provider = uuidClaim("provider_id");
        UUID group = uuidClaim("group_id");
        UUID practice = uuidClaim("practice_id");
        if (provider == null
                || (role == Role.GROUP_MANAGER || role == Role.PRACTICE_MANAGER) && group == null
                || role == Role.PRACTICE_MANAGER && practice == null) {
            throw new NotPermitted("Your account (" + role.claimValue()
                    + ") is not linked to a provider, group or practice; ask your provider's administrator");
        }
        TenantScope scope = switch (role) {
            case PROVIDER_ADMIN, PROVIDER_TECHNICIAN -> TenantScope.provider(provider);
            case GROUP_MANAGER -> new TenantScope(provider, group, null);
            // the practice's group now, not the token's: a practice moved to another group keeps its manager
            case PRACTICE_MANAGER -> new TenantScope(provider, practiceGroups.currentGroupOf(provider, practice).orElse(group), practice);
            case PLATFORM_OPERATOR -> throw new IllegalStateException("handled above");
        };
        return new Caller(token.getSubject(), username(), name(), role, scope);
    }

    private String username() {
        String username = token.getClaim("preferred_username");
        return username == null ? token.getSubject() : username;
    }

    private String name() {
        String name = token.getClaim("name");
        return name == null ? username() : name;
    }

    private UUID uuidClaim(String name) {
        Object value = token.getClaim(name);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.toString().replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw new NotPermitted("Your account's " + name + " is not a valid id; ask your provider's administrator");
        }
    }
}
