package io.rampart.controlplane.agents;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.rampart.controlplane.shared.Tenancy;

/** An enrolled practice agent; its client certificate (CN = id) is its proof on every call. */
@Entity
@Table(name = "agent")
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String hostname;
    public String agentVersion;
    public String operatingSystem;
    public Instant enrolledAt;
    public Instant revokedAt;
    /** The newest certificate signed for it (hex serial) and when that one ends; older ones stay valid until they end. */
    public String certificateSerial;
    public Instant certificateExpiresAt;
    /** The newest certificate's public key (DER SubjectPublicKeyInfo, EC P-256): browsers seal its secrets to it. */
    public byte[] publicKey;

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }

    public void certificateIssued(X509Certificate certificate) {
        certificateSerial = certificate.getSerialNumber().toString(16);
        certificateExpiresAt = certificate.getNotAfter().toInstant();
        publicKey = certificate.getPublicKey().getEncoded();
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
