package io.rampart.protocol.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * PEM files as Netty, Vert.x, curl and openssl read them: certificates, and EC private keys as
 * unencrypted PKCS#8 ("PRIVATE KEY"), which every one of them accepts.
 */
public final class Pem {

    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        return pem.toString();
    }

    public static String privateKey(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Every certificate in PEM or DER form, in order. */
    public static List<X509Certificate> readCertificates(byte[] pemOrDer) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pemOrDer)).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static List<X509Certificate> readCertificates(Path file) {
        try {
            return readCertificates(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificates from " + file, e);
        }
    }

    public static X509Certificate certificate(byte[] der) {
        List<X509Certificate> certificates = readCertificates(der);
        if (certificates.size() != 1) {
            throw new IllegalArgumentException("expected one certificate, found " + certificates.size());
        }
        return certificates.get(0);
    }

    public static PrivateKey readPrivateKey(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not an unencrypted PKCS#8 EC private key (PEM)", e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
