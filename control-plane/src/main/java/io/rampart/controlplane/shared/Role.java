package io.rampart.controlplane.shared;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of people who use Rampart, as the identity provider names their roles, most powerful first. A platform
 * operator runs the Rampart installation (creates providers and their first admins) and sees no tenant's data.
 */
public enum Role {
    PLATFORM_OPERATOR("platform-operator"),
    PROVIDER_ADMIN("provider-admin"),
    PROVIDER_TECHNICIAN("provider-technician"),
    GROUP_MANAGER("group-manager"),
    PRACTICE_MANAGER("practice-manager");

    /** Role names for {@code @RolesAllowed}, which needs constants. */
    public static final String OPERATOR = "platform-operator";
    public static final String ADMIN = "provider-admin";
    public static final String TECHNICIAN = "provider-technician";
    public static final String GROUP = "group-manager";
    public static final String PRACTICE = "practice-manager";

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    public String claimValue() {
        return claimValue;
    }

    public static Optional<Role> fromClaim(String value) {
        return Arrays.stream(values()).filter(r -> r.claimValue.equals(value)).findFirst();
    }
}
