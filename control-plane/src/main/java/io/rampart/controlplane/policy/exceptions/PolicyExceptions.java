package io.rampart.controlplane.policy.exceptions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.policy.rules.PolicyException;
import io.rampart.controlplane.shared.TenantScope;

/** A practice's documented exceptions, read through a tenant scope (and, for evaluation, unscoped by practice). */
@ApplicationScoped
public class PolicyExceptions implements PanacheRepositoryBase<PolicyExceptionEntry, UUID> {

    public List<PolicyExceptionEntry> listIn(TenantScope scope, UUID practiceId) {
        return list("practiceId = :practice and " + scope.where(), Sort.descending("createdAt"),
                scope.parameters().and("practice", practiceId));
    }

    public Optional<PolicyExceptionEntry> findIn(TenantScope scope, UUID practiceId, UUID id) {
        return find("id = :id and practiceId = :practice and " + scope.where(), scope.parameters().and("id", id).and("practice", practiceId))
                .firstResultOptional();
    }

    /** The exceptions of these practices not revoked and not expired at {@code now}, by practice. */
    public Map<UUID, List<PolicyException>> activeFor(Collection<UUID> practiceIds, Instant now) {
        return this.<PolicyExceptionEntry> list("practiceId in ?1 and revokedAt is null and validUntil >= ?2", practiceIds, now).stream()
                .collect(Collectors.groupingBy(e -> e.practiceId, Collectors.mapping(PolicyExceptionEntry::forEvaluation, Collectors.toList())));
    }

    /** The practice's exceptions not revoked and not expired at {@code now}, as the rules take them. */
    public List<PolicyException> activeFor(UUID practiceId, Instant now) {
        return list("practiceId = ?1 and revokedAt is null and validUntil >= ?2", practiceId, now).stream()
                .map(PolicyExceptionEntry::forEvaluation).toList();
    }
}
