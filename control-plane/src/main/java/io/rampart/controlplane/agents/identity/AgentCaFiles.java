package io.rampart.controlplane.agents.identity;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.CertificateRequests;
import io.rampart.protocol.identity.Pem;

/**
 * The files of the agents' CA in one directory, read by the gRPC server (its certificate and the
 * trust store of client certificates) and by {@link AgentCertificateAuthority} (to sign). Made
 * before Quarkus starts, because Quarkus' gRPC TLS settings name them. Every replica of the
 * control plane must see the same directory (in Kubernetes: one Secret).
 */
public final class AgentCaFiles {

    /** Only guards the integrity of a file holding a public certificate: nothing secret is behind it. */
    public static final String TRUST_STORE_PASSWORD = "rampart-agent-ca";
    private static final Logger LOG = Logger.getLogger(AgentCaFiles.class);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    /** A server certificate closer than this to its end is issued again at start. */
    private static final Duration SERVER_RENEWAL = Duration.ofDays(30);

    private final Path directory;

    private AgentCaFiles(Path directory) {
        this.directory = directory;
    }

    public static AgentCaFiles in(Path directory) {
        return new AgentCaFiles(directory.toAbsolutePath());
    }

    /**
     * Creates what is missing: the CA (once, ever), the gRPC server's certificate for the given
     * host names (again when they changed or it nears its end) and the trust store. Writes
     * nothing when all is in place, so the directory may be a read-only mount of a Secret.
     */
    public AgentCaFiles ensure(List<String> serverNames, Instant now) {
        try {
            Files.createDirectories(directory);
            if (!Files.exists(caCertificate())) {
                CertificateAuthority.create("Rampart agent CA", now, CA_VALIDITY).save(caCertificate(), caKey());
                LOG.infof("Created the agents' CA in %s", directory);
            }
            CertificateAuthority ca = CertificateAuthority.load(caCertificate(), caKey());
            if (serverCertificateNeeded(ca, serverNames, now)) {
                KeyPair keys = CertificateRequests.newKeyPair();
                X509Certificate server = ca.issueServer(keys.getPublic(), serverNames, now, SERVER_VALIDITY);
                CertificateAuthority.writeSecret(serverKey(), Pem.privateKey(keys.getPrivate()));
                Files.writeString(serverCertificate(), Pem.certificates(List.of(server)), StandardCharsets.US_ASCII);
                LOG.infof("Issued the gRPC server's certificate for %s", serverNames);
            }
            if (!Files.exists(trustStore())) {
                writeTrustStore(ca.certificate());
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the agents' CA in " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    public Path caKey() {
        return directory.resolve("ca.key");
    }

    public Path serverCertificate() {
        return directory.resolve("server.crt");
    }

    public Path serverKey() {
        return directory.resolve("server.key");
    }

    /** PKCS#12, because Quarkus' separate gRPC server reads client-certificate trust from a key store only. */
    public Path trustStore() {
        return directory.resolve("ca-truststore.p12");
    }

    private boolean serverCertificateNeeded(CertificateAuthority ca, List<String> serverNames, Instant now) {
        if (!Files.exists(serverCertificate()) || !Files.exists(serverKey())) {
            return true;
        }
        X509Certificate current = Pem.readCertificates(serverCertificate()).get(0);
        try {
            List<String> names = current.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();
            return !ca.issued(current) || !names.equals(serverNames)
                    || current.getNotAfter().toInstant().isBefore(now.plus(SERVER_RENEWAL));
        } catch (GeneralSecurityException e) {
            return true;
        }
    }

    private void writeTrustStore(X509Certificate caCertificate) throws IOException {
        try (OutputStream out = Files.newOutputStream(trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("rampart-agent-ca", caCertificate);
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + trustStore(), e);
        }
    }
}
