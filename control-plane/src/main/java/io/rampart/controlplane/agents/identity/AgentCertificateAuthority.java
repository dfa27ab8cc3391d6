package io.rampart.controlplane.agents.identity;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.protobuf.ByteString;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.agents.AgentApiException;
import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.Pem;

/** Signs agents' certificate requests with the CA in {@code rampart.agents.ca-dir}, and knows the certificates it signed. */
@ApplicationScoped
public class AgentCertificateAuthority {

    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    private CertificateAuthority ca;
    private ByteString caDer;

    @PostConstruct
    void load() {
        AgentCaFiles files = AgentCaFiles.in(config.agents().caDir());
        ca = CertificateAuthority.load(files.caCertificate(), files.caKey());
        caDer = der(ca.certificate());
    }

    /** A client certificate for the agent; a request that is not a valid PKCS#10 is refused as INVALID_ARGUMENT, saying why. */
    public SignedCertificate sign(ByteString certificateSigningRequest, UUID agentId) {
        try {
            X509Certificate certificate = ca.signAgent(certificateSigningRequest.toByteArray(), agentId.toString(), clock.instant(),
                    config.agents().certificateValidity());
            return new SignedCertificate(certificate, der(certificate), caDer);
        } catch (CertificateAuthority.InvalidCertificateRequest e) {
            throw AgentApiException.invalid(e.getMessage());
        }
    }

    /** The agent a certificate from this CA names; empty for a certificate this CA did not sign. */
    public Optional<UUID> agentOf(X509Certificate certificate) {
        if (!ca.issued(certificate)) {
            return Optional.empty();
        }
        return CertificateAuthority.agentId(certificate).flatMap(AgentCertificateAuthority::uuid);
    }

    /** The CA certificate as PEM, for install commands and for anyone who wants to pin it. */
    public String caPem() {
        return Pem.certificates(java.util.List.of(ca.certificate()));
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ByteString der(X509Certificate certificate) {
        try {
            return ByteString.copyFrom(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record SignedCertificate(X509Certificate certificate, ByteString der, ByteString caDer) {
    }
}
