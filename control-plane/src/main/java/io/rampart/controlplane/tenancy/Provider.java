package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A managed IT provider: the top of the tenancy. */
@Entity
@Table(name = "provider")
public class Provider extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    public Instant createdAt;

    /**
     * Registers a new provider row (tenancy owns the table; people/Providers checks the name and audits). Inside the
     * caller's transaction.
     */
    public static Provider register(UUID id, String name, Instant createdAt) {
        Provider provider = new Provider();
        provider.id = id;
        provider.name = name;
        provider.createdAt = createdAt;
        provider.persist();
        return provider;
    }

    /** Gives the provider a new name (already checked for shape and uniqueness by the caller). */
    public void rename(String newName) {
        name = newName;
    }
}
