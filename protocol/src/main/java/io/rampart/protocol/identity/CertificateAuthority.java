package io.rampart.protocol.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The control plane's certificate authority for agents: it signs each agent's public key into a
 * client certificate whose common name is the agent id, and the gRPC server's own certificate.
 */
public final class CertificateAuthority {

    /** Signed certificates start a little in the past so that a practice server whose clock runs behind accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private CertificateAuthority(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new self-signed CA. */
    public static CertificateAuthority create(String name, Instant now, Duration validity) {
        KeyPair keys = CertificateRequests.newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, now, validity, subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a CA", e);
        }
    }

    public static CertificateAuthority load(Path certificateFile, Path keyFile) {
        return new CertificateAuthority(Pem.readPrivateKey(keyFile), Pem.readCertificates(certificateFile).get(0));
    }

    /** Writes the certificate, and the key readable by its owner only. */
    public void save(Path certificateFile, Path keyFile) {
        try {
            Files.writeString(certificateFile, Pem.certificates(List.of(certificate)), StandardCharsets.US_ASCII);
            writeSecret(keyFile, Pem.privateKey(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA to " + certificateFile.getParent(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Signs an agent's certificate request: client authentication only, named by the agent id
     * whatever subject the request asked for.
     *
     * @throws InvalidCertificateRequest when the request cannot be parsed or its signature does
     *         not prove possession of the private key
     */
    public X509Certificate signAgent(byte[] requestDer, String agentId, Instant now, Duration validity) {
        PKCS10CertificationRequest request = parse(requestDer);
        try {
            X509v3CertificateBuilder builder = builder(issuer(), now, validity, new X500Name("CN=" + agentId),
                    request.getSubjectPublicKeyInfo())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            return sign(builder, key);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the agent certificate", e);
        }
    }

    /** The gRPC server's certificate, for the host names and addresses agents use to reach it. */
    public X509Certificate issueServer(PublicKey publicKey, List<String> names, Instant now, Duration validity) {
        GeneralName[] alternativeNames = names.stream()
                .map(name -> isAddress(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
        try {
            X509v3CertificateBuilder builder = builder(issuer(), now, validity, new X500Name("CN=" + names.get(0)),
                    SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
            return sign(builder, key);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build the server certificate", e);
        }
    }

    /** Whether this CA signed the certificate. */
    public boolean issued(X509Certificate candidate) {
        try {
            candidate.verify(certificate.getPublicKey());
            return candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The agent id a certificate names (its subject's common name), if it names one. */
    public static Optional<String> agentId(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue).map(Object::toString)
                    .findFirst();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    private X500Name issuer() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private static PKCS10CertificationRequest parse(byte[] requestDer) {
        if (requestDer == null || requestDer.length == 0) {
            throw new InvalidCertificateRequest("no certificate signing request: the agent must send one (PKCS#10, DER)");
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(requestDer);
        } catch (IOException | RuntimeException e) {
            throw new InvalidCertificateRequest("the certificate signing request is not PKCS#10 (DER): " + e.getMessage());
        }
        try {
            // the JDK's key factory by name: it does not answer to the algorithm's OID, which BouncyCastle would ask for
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new InvalidCertificateRequest("the certificate signing request's signature does not match its public key");
            }
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException | IOException e) {
            throw new InvalidCertificateRequest("the certificate signing request cannot be verified: " + e.getMessage());
        }
        return request;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, Instant now, Duration validity, X500Name subject,
            SubjectPublicKeyInfo publicKey) {
        return new X509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, publicKey);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, Instant now, Duration validity, X500Name subject,
            PublicKey publicKey) {
        return builder(issuer, now, validity, subject, SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(CertificateRequests.SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    /** Writes a file only its owner can read, where the file system has POSIX permissions. */
    public static void writeSecret(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    /** A certificate signing request the CA refuses, with the reason. */
    public static final class InvalidCertificateRequest extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidCertificateRequest(String message) {
            super(message);
        }
    }
}
