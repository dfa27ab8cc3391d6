package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A group of practices run by one provider under one policy. */
@Entity
@Table(name = "practice_group")
public class PracticeGroup extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public String name;
    public Instant createdAt;
}
