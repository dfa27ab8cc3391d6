package io.rampart.controlplane.contacts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.Tenancy;

/** Someone told when a practice's backups fail: of one practice, or (no practice) of every practice of the group. */
@Entity
@Table(name = "contact")
public class Contact extends PanacheEntityBase {

    public enum Role {
        /** the IT provider's people who fix it */
        IT_CONTACT,
        /** the person at the practice who must know */
        PRACTICE_MANAGER,
        /** the group's operations manager: gets the group's daily digest, not each practice's failure emails */
        GROUP_MANAGER
    }

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    /** Null for a contact of the whole group. */
    public UUID practiceId;
    public String name;
    public String email;
    @Enumerated(EnumType.STRING)
    public Role role;
    public String createdBy;
    public Instant createdAt;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }
}
