package io.rampart.controlplane.agents;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A single-use, expiring secret that lets one new agent join one practice. Only its hash is kept. */
@Entity
@Table(name = "enrolment_token")
public class EnrolmentToken extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String tokenHash;
    public Instant createdAt;
    public Instant expiresAt;
    public Instant usedAt;
    public UUID usedByAgentId;

    public boolean usableAt(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
