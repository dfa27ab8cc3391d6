package io.rampart.agent.config;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.HexFormat;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

import com.google.protobuf.ByteString;

import io.rampart.protocol.agent.v1.SealedSecret;

/**
 * Opens (and, for tests and tools, seals) a check's secret sealed to this agent's EC P-256 key with HPKE (RFC 9180)
 * in base mode, suite DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-128-GCM, through Bouncy Castle's
 * org.bouncycastle.crypto.hpke. The web UI seals with @hpke/core (web-ui/src/lib/sealing.ts) to the same suite,
 * info and aad; SealedSecretsInteropTest opens what it sealed.
 */
public final class SealedSecrets {

    /** HPKE info: which use the key is put to. */
    public static final byte[] INFO = "rampart sealed secret v1".getBytes(StandardCharsets.UTF_8);

    private SealedSecrets() {
    }

    /** HPKE aad: "&lt;check id&gt;/&lt;name&gt;", so a ciphertext cannot be moved to another check or secret. */
    public static byte[] aad(String checkId, String name) {
        return (checkId + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The secret's bytes.
     *
     * @throws GeneralSecurityException when it was not sealed to this key, for this check and name, or was altered
     */
    public static byte[] open(SealedSecret sealed, String checkId, PrivateKey key) throws GeneralSecurityException {
        try {
            return hpke().open(sealed.getEncapsulatedKey().toByteArray(), keyPair(key), INFO, aad(checkId, sealed.getName()),
                    sealed.getCiphertext().toByteArray(), null, null, null);
        } catch (InvalidCipherTextException | IllegalArgumentException e) {
            throw new GeneralSecurityException("cannot open the sealed " + sealed.getName() + " of check " + checkId + ": " + e.getMessage(), e);
        }
    }

    /** Seals a secret to a public key given as HPKE's uncompressed P-256 point (65 bytes), as the web UI does. */
    public static SealedSecret seal(byte[] recipientPoint, String keyId, String checkId, String name, byte[] secret)
            throws GeneralSecurityException {
        HPKE hpke = hpke();
        AsymmetricKeyParameter recipient = hpke.deserializePublicKey(recipientPoint);
        try {
            byte[][] sealed = hpke.seal(recipient, INFO, aad(checkId, name), secret, null, null, null);
            return SealedSecret.newBuilder().setName(name).setKeyId(keyId)
                    .setCiphertext(ByteString.copyFrom(sealed[0])).setEncapsulatedKey(ByteString.copyFrom(sealed[1])).build();
        } catch (InvalidCipherTextException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** The uncompressed point (65 bytes) of the public key of this P-256 private key. */
    public static byte[] publicPoint(PrivateKey key) {
        BigInteger d = ((ECPrivateKey) key).getS();
        ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
        return curve.getG().multiply(d).normalize().getEncoded(false);
    }

    /** Lower-case hex SHA-256 of a DER SubjectPublicKeyInfo: the key id the control plane and web UI use. */
    public static String keyId(byte[] subjectPublicKeyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static HPKE hpke() {
        return new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    }

    private static AsymmetricCipherKeyPair keyPair(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the agent's key is not an EC key");
        }
        byte[] scalar = new byte[32];
        byte[] d = ec.getS().toByteArray();
        int length = Math.min(d.length, 32);
        System.arraycopy(d, d.length - length, scalar, 32 - length, length);
        return hpke().deserializePrivateKey(scalar, publicPoint(key));
    }
}
