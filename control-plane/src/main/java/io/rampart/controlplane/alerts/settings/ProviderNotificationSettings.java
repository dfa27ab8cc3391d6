package io.rampart.controlplane.alerts.settings;

import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A provider's on-call address, when alerts escalate to it, and its daily digest. */
@Entity
@Table(name = "provider_notification_settings")
public class ProviderNotificationSettings extends PanacheEntityBase {

    @Id
    public UUID providerId;
    public String onCallEmail;
    public long escalateAfterSeconds;
    public String digestEmail;
    public String timeZone;
    public LocalTime digestTime;
    public String updatedBy;
    public Instant updatedAt;
}
