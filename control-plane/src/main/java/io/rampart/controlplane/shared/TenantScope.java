package io.rampart.controlplane.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.quarkus.panache.common.Parameters;

/**
 * The rows a caller may see: always one provider, narrowed to one group or one practice for
 * managers. Every query of tenant data goes through {@link #where}, so scoping has one home.
 */
public record TenantScope(UUID providerId, UUID groupId, UUID practiceId) {

    public TenantScope {
        if (providerId == null) {
            throw new IllegalArgumentException("a scope always names a provider");
        }
        if (practiceId != null && groupId == null) {
            throw new IllegalArgumentException("a practice scope names its group too");
        }
    }

    public static TenantScope provider(UUID providerId) {
        return new TenantScope(providerId, null, null);
    }

    /**
     * A JPQL condition on an entity's tenancy columns. Pass null for a column the entity does
     * not have (a group has no practice); the scope then narrows by what it has.
     */
    public String where(String providerColumn, String groupColumn, String practiceColumn) {
        List<String> conditions = new ArrayList<>();
        conditions.add(providerColumn + " = :scopeProvider");
        if (groupId != null && groupColumn != null) {
            conditions.add(groupColumn + " = :scopeGroup");
        }
        if (practiceId != null && practiceColumn != null) {
            conditions.add(practiceColumn + " = :scopePractice");
        }
        return "(" + String.join(" and ", conditions) + ")";
    }

    /** The condition for the usual columns providerId, groupId, practiceId. */
    public String where() {
        return where("providerId", "groupId", "practiceId");
    }

    public Parameters parameters(String providerColumn, String groupColumn, String practiceColumn) {
        Parameters parameters = Parameters.with("scopeProvider", providerId);
        if (groupId != null && groupColumn != null) {
            parameters.and("scopeGroup", groupId);
        }
        if (practiceId != null && practiceColumn != null) {
            parameters.and("scopePractice", practiceId);
        }
        return parameters;
    }

    public Parameters parameters() {
        return parameters("providerId", "groupId", "practiceId");
    }

    public boolean includes(Tenancy tenancy) {
        return providerId.equals(tenancy.providerId())
                && (groupId == null || groupId.equals(tenancy.groupId()))
                && (practiceId == null || practiceId.equals(tenancy.practiceId()));
    }
}
