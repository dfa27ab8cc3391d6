package io.rampart.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;

import io.rampart.agent.config.AtomicFile;
import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.Pem;

/**
 * The agent's own identity on the wire: its private key (which never leaves this computer), the
 * client certificate the control plane's CA signed for it, and that CA, which is the only one the
 * agent trusts for the control plane. Kept as PEM files in the agent's home.
 */
public final class AgentCertificate {

    private final Path keyFile;
    private final Path certificateFile;
    private final Path caFile;
    // Swapped in place on renewal, so new connections present the new certificate without a restart.
    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();

    private AgentCertificate(Path keyFile, Path certificateFile, Path caFile) {
        this.keyFile = keyFile;
        this.certificateFile = certificateFile;
        this.caFile = caFile;
    }

    /** The identity stored in these files; fails with what to do when one is missing. */
    public static AgentCertificate load(Path keyFile, Path certificateFile, Path caFile) {
        for (Path file : List.of(keyFile, certificateFile, caFile)) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException(file + " is missing or unreadable: enrol the agent again");
            }
        }
        AgentCertificate identity = new AgentCertificate(keyFile, certificateFile, caFile);
        identity.keyManager.updateIdentityCredentials(
                Pem.readCertificates(certificateFile).toArray(X509Certificate[]::new), Pem.readPrivateKey(keyFile));
        return identity;
    }

    /** Stores a newly signed identity: key owner-only, every file replaced atomically. */
    public static void store(Path keyFile, Path certificateFile, Path caFile, PrivateKey key, X509Certificate certificate,
            List<X509Certificate> ca) {
        try {
            AtomicFile.write(keyFile, Pem.privateKey(key).getBytes(StandardCharsets.US_ASCII), true);
            AtomicFile.write(certificateFile, Pem.certificates(List.of(certificate)).getBytes(StandardCharsets.US_ASCII), false);
            AtomicFile.write(caFile, Pem.certificates(ca).getBytes(StandardCharsets.US_ASCII), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the agent's certificate next to " + keyFile, e);
        }
    }

    /** TLS trusting only the given CA, without a client certificate: for enrolment, before the agent has one. */
    public static ChannelCredentials trusting(List<X509Certificate> ca) {
        try {
            return TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(Pem.certificates(ca).getBytes(StandardCharsets.US_ASCII)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mutual TLS: the agent's certificate, and trust in its CA only. */
    public ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder().keyManager(keyManager).trustManager(caFile.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA certificate " + caFile, e);
        }
    }

    public X509Certificate certificate() {
        return Pem.readCertificates(certificateFile).get(0);
    }

    public String agentId() {
        return CertificateAuthority.agentId(certificate()).orElseThrow(
                () -> new IllegalStateException(certificateFile + " names no agent: enrol the agent again"));
    }

    /** Due for renewal once less than a third of its validity is left. */
    public boolean renewalDue(Instant now) {
        X509Certificate certificate = certificate();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        Duration validity = Duration.between(notBefore, notAfter);
        return !now.isBefore(notAfter.minus(validity.dividedBy(3)));
    }

    /** Takes a renewed certificate (for a new key pair) into use: stored, and presented from the next connection on. */
    public void renewed(KeyPair keys, X509Certificate certificate, List<X509Certificate> ca) {
        store(keyFile, certificateFile, caFile, keys.getPrivate(), certificate, ca);
        try {
            keyManager.updateIdentityCredentials(new X509Certificate[] { certificate }, keys.getPrivate());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot use the renewed certificate", e);
        }
    }
}
