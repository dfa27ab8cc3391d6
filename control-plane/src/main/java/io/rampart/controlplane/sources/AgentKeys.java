package io.rampart.controlplane.sources;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** The two forms of an agent's public key a browser needs to seal to it: its id and its raw P-256 point. */
public final class AgentKeys {

    private AgentKeys() {
    }

    /** Lower-case hex SHA-256 of the key's DER SubjectPublicKeyInfo (64 characters). */
    public static String keyId(byte[] subjectPublicKeyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The uncompressed point (0x04 || x || y, 65 bytes) of an EC P-256 key, as HPKE's DHKEM(P-256) serialises it.
     *
     * @throws IllegalArgumentException when the key is not an EC P-256 key
     */
    public static byte[] uncompressedPoint(byte[] subjectPublicKeyInfo) {
        ECPublicKey key;
        try {
            key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an EC public key: " + e.getMessage(), e);
        }
        if (key.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        byte[] point = new byte[65];
        point[0] = 4;
        copy(key.getW().getAffineX(), point, 1);
        copy(key.getW().getAffineY(), point, 33);
        return point;
    }

    private static void copy(BigInteger coordinate, byte[] into, int offset) {
        byte[] bytes = coordinate.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, into, offset + 32 - length, length);
    }
}
