package io.rampart.controlplane.tenancy;

import java.util.Arrays;
import java.util.Optional;

/** The four kinds of people who use Rampart, as the identity provider names their roles. */
public enum Role {
    PROVIDER_ADMIN("provider-admin"),
    PROVIDER_TECHNICIAN("provider-technician"),
    GROUP_MANAGER("group-manager"),
    PRACTICE_MANAGER("practice-manager");

    /** Role names for {@code @RolesAllowed}, which needs constants. */
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
