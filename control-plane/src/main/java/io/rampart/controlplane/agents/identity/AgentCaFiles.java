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
import java.util.function.Predicate;

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
    private final Predicate<Path> writable;

    private AgentCaFiles(Path directory, Predicate<Path> writable) {
        this.directory = directory;
        this.writable = writable;
    }

    public static AgentCaFiles in(Path directory) {
        return in(directory, Files::isWritable);
    }

    /** With the test of whether the directory can be written (a read-only mount, a Secret, answers false). */
    static AgentCaFiles in(Path directory, Predicate<Path> writable) {
        return new AgentCaFiles(directory.toAbsolutePath(), writable);
    }

    /**
     * Creates what is missing: the CA (once, ever), the gRPC server's certificate for the given
     * host names (again when they changed or it nears its end) and the trust store. Writes
     * nothing when all is in place, so the directory may be a read-only mount of a Secret; there, a
     * server certificate that should be issued again (other names, near its end) is kept with a warning
     * while it is valid, and an {@link IllegalStateException} names the remedy once it is not.
     */
    public AgentCaFiles ensure(List<String> serverNames, Instant now) {
        try {
            Files.createDirectories(directory);
            if (!Files.exists(caCertificate())) {
                CertificateAuthority.create("Rampart agent CA", now, CA_VALIDITY).save(caCertificate(), caKey());
                LOG.infof("Created the agents' CA in %s", directory);
            }
            CertificateAuthority ca = CertificateAuthority.load(caCertificate(), caKey());
            String reissue = reasonToIssueServerCertificate(ca, serverNames, now);
            if (reissue != null && Files.isDirectory(directory) && !writable.test(directory)) {
                keepServerCertificateOfReadOnlyDirectory(ca, reissue, serverNames, now);
            } else if (reissue != null) {
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

    /** Why the gRPC server's certificate must be issued again, or null when it is fine as it is. */
    private String reasonToIssueServerCertificate(CertificateAuthority ca, List<String> serverNames, Instant now) {
        if (!Files.exists(serverCertificate()) || !Files.exists(serverKey())) {
            return "is missing";
        }
        X509Certificate current = Pem.readCertificates(serverCertificate()).get(0);
        try {
            List<String> names = current.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();
            if (!ca.issued(current)) {
                return "was not issued by the agents' CA in " + caCertificate();
            }
            if (!names.equals(serverNames)) {
                return "names " + names + ", not " + serverNames + " (RAMPART_AGENTS_SERVER_NAMES)";
            }
            if (current.getNotAfter().toInstant().isBefore(now.plus(SERVER_RENEWAL))) {
                return "ends " + current.getNotAfter().toInstant() + ", within " + SERVER_RENEWAL.toDays() + " days";
            }
            return null;
        } catch (GeneralSecurityException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /**
     * A read-only directory (the Helm chart mounts the CA from a Secret, on a read-only root filesystem)
     * cannot take a new server certificate: the one there is kept while it is usable, with a warning that
     * says what to do; {@link IllegalStateException} when it is missing, foreign or past its end.
     */
    private void keepServerCertificateOfReadOnlyDirectory(CertificateAuthority ca, String reason, List<String> serverNames,
            Instant now) {
        String remedy = "; the directory is read-only (a Secret?), so start the control plane once with RAMPART_AGENTS_CA_DIR"
                + " set to a writable copy of its files and RAMPART_AGENTS_SERVER_NAMES=" + String.join(",", serverNames)
                + ", then replace the Secret's files with the copy's (deploy/README.md, \"The agents' CA\")";
        boolean usable = Files.exists(serverCertificate()) && Files.exists(serverKey());
        if (usable) {
            X509Certificate current = Pem.readCertificates(serverCertificate()).get(0);
            usable = ca.issued(current) && current.getNotAfter().toInstant().isAfter(now);
        }
        if (!usable) {
            throw new IllegalStateException("The gRPC server's certificate " + serverCertificate() + " " + reason + remedy);
        }
        LOG.warnf("Keeping the gRPC server's certificate %s, which %s%s", serverCertificate(), reason, remedy);
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
