package io.rampart.protocol.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** What an agent does to get a certificate: make its own key pair and ask the CA to sign its public key. */
public final class CertificateRequests {

    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private CertificateRequests() {
    }

    /** An EC P-256 key pair: small, fast, and accepted by every TLS stack the agents meet. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has EC P-256", e);
        }
    }

    /** A PKCS#10 request (DER), signed with the private key to prove the requester holds it. */
    public static byte[] request(KeyPair keys, String subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + subject), keys.getPublic())
                    .build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keys.getPrivate()))
                    .getEncoded();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
