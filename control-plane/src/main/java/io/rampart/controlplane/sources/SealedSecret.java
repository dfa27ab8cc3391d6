package io.rampart.controlplane.sources;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A secret of a check sealed in a browser (HPKE, RFC 9180) to one agent's key; the control plane keeps and passes the
 * ciphertext and can never open it. See SealedSecret in agent_service.proto for the suite, info and aad.
 */
@Entity
@Table(name = "sealed_secret")
public class SealedSecret extends io.quarkus.hibernate.orm.panache.PanacheEntityBase {

    @Id
    public UUID id;
    public UUID practiceId;
    public String checkId;
    public String name;
    public UUID agentId;
    /** Lower-case hex SHA-256 of the agent key (DER SubjectPublicKeyInfo) it was sealed to. */
    public String keyId;
    /** HPKE enc: the sender's ephemeral P-256 public key, uncompressed (65 bytes). */
    public byte[] encapsulatedKey;
    /** HPKE ciphertext with its 16-byte tag. */
    public byte[] ciphertext;
    public Instant sealedAt;
}
