package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.time.ZoneId;
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
    /** Where the group's practices are (an IANA zone id, e.g. Australia/Melbourne): dates people type mean days there. */
    public String timeZone = "UTC";
    /** When and by whom (username) it was archived; null while it is live. An archived group can be un-archived. */
    public Instant archivedAt;
    public String archivedBy;

    public boolean archived() {
        return archivedAt != null;
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /**
     * Sets where the group's practices are (what the group's notification settings say): the way other features
     * change the group's row, which tenancy owns; inside the caller's transaction, audited by the caller's change.
     */
    public void moveToZone(ZoneId zone) {
        timeZone = zone.getId();
    }

    /** The time zone of the group with this id; UTC for a group that does not exist. */
    public static ZoneId zoneOf(UUID groupId) {
        PracticeGroup group = findById(groupId);
        return group == null ? ZoneId.of("UTC") : group.zone();
    }
}
