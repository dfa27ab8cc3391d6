package io.rampart.controlplane.people;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.people.ProviderResource.ProviderView;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.controlplane.tenancy.Provider;

/**
 * Creates and renames the providers of this installation, each change audited; what the operator's REST resource and
 * the demo's seed both call. A provider's name is unique ignoring case ({@link AlreadyRegistered} on field name, shown
 * as 409). Providers are never deleted: everything of a tenant hangs off its row.
 */
@ApplicationScoped
public class Providers {

    @Inject
    Clock clock;
    @Inject
    AuditLog audit;

    /** A new provider with a new id; {@code name} already checked for shape (the REST body's Bean Validation). */
    @Transactional(TxType.MANDATORY)
    public Provider create(Caller operator, String name) {
        return create(operator, UUID.randomUUID(), name);
    }

    /**
     * A new provider with the given id: the demo's realm users carry fixed provider ids, so its seed chooses them.
     * Throws AlreadyRegistered when another provider has the name.
     */
    @Transactional(TxType.MANDATORY)
    public Provider create(Caller operator, UUID id, String name) {
        String stripped = name.strip();
        refuseTakenName(stripped, null);
        Provider provider = Provider.register(id, stripped, clock.instant());
        audit.record(operator, new AuditLog.Change("provider.created", "provider", provider.id.toString(),
                new Tenancy(provider.id, null, null), null, ProviderView.of(provider)));
        return provider;
    }

    /** Renames the provider; NotFound (404) when there is none of that id, AlreadyRegistered when the name is taken. */
    @Transactional(TxType.MANDATORY)
    public Provider rename(Caller operator, UUID providerId, String name) {
        Provider provider = existing(providerId);
        String stripped = name.strip();
        refuseTakenName(stripped, provider.id);
        ProviderView before = ProviderView.of(provider);
        provider.rename(stripped);
        audit.record(operator, new AuditLog.Change("provider.renamed", "provider", provider.id.toString(),
                new Tenancy(provider.id, null, null), before, ProviderView.of(provider)));
        return provider;
    }

    /** The provider of that id; NotFound (404, "No such provider") when there is none. */
    public static Provider existing(UUID id) {
        Provider provider = Provider.findById(id);
        if (provider == null) {
            throw new NotFound("No such provider");
        }
        return provider;
    }

    private static void refuseTakenName(String name, UUID except) {
        boolean taken = Provider.<Provider> find("lower(name) = lower(?1)", name).stream().anyMatch(p -> !p.id.equals(except));
        if (taken) {
            throw new AlreadyRegistered("name", "A provider named " + name + " already exists");
        }
    }
}
