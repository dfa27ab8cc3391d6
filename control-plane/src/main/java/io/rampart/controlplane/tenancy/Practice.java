package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.Tenancy;

/** One medical practice, whose backups its agents watch. */
@Entity
@Table(name = "practice")
public class Practice extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public String name;
    public Instant createdAt;
    /** When and by whom (username) it was decommissioned; null while it is live. Decommissioning is final. */
    public Instant decommissionedAt;
    public String decommissionedBy;
    public String decommissionReason;

    public boolean decommissioned() {
        return decommissionedAt != null;
    }

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, id);
    }
}
