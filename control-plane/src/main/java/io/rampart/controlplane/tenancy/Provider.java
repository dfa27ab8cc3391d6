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
}
