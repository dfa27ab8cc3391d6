package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** Where a provider's ticketing or chat tool wants alerts POSTed, and the secret they are signed with. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public String url;
    public String secret;
    public String createdBy;
    public Instant createdAt;
}
