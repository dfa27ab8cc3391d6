package io.rampart.controlplane.alerts.settings;

import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A group's quiet hours, critical rules, AT_RISK opt-in, digest time (in the group's own time zone) and incident group window. */
@Entity
@Table(name = "group_notification_settings")
public class GroupNotificationSettings extends PanacheEntityBase {

    @Id
    public UUID groupId;
    public UUID providerId;
    public boolean alertOnAtRisk;
    public LocalTime quietFrom;
    public LocalTime quietTo;
    /** Comma-separated rule ids. */
    public String criticalRules;
    public LocalTime digestTime;
    /** Seconds a practice's failure, warning and recovery emails wait for the rest of their incident; null: the installation's default. */
    public Long groupWindowSeconds;
    public String updatedBy;
    public Instant updatedAt;
}
