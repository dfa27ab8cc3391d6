package io.rampart.controlplane.alerts.settings;

import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A group's quiet hours, critical rules, AT_RISK opt-in and digest time (in the group's own time zone). */
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
    public String updatedBy;
    public Instant updatedAt;
}
