package io.rampart.controlplane.agents;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.rampart.controlplane.tenancy.Tenancy;

/** An enrolled practice agent and the hash of the credential it presents on every call. */
@Entity
@Table(name = "agent")
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String credentialHash;
    public String hostname;
    public String agentVersion;
    public String operatingSystem;
    public Instant enrolledAt;
    public Instant revokedAt;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
