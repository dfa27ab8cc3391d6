package io.rampart.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;

import io.rampart.protocol.agent.v1.SealedSecret;
import io.rampart.protocol.identity.Pem;

/**
 * The browser (@hpke/core over WebCrypto) and the agent (Bouncy Castle) speak the same HPKE: the web UI's vitest
 * (web-ui/src/lib/sealing.test.ts) sealed sealed-by-web-ui.json to the test key; this test opens it, and seals
 * sealed-by-agent.json, which the vitest opens.
 */
class SealedSecretsInteropTest {

    private static final Path FIXTURES = Path.of("src/test/resources/sealing");

    @TempDir
    Path directory;

    @Test
    void opensWhatTheWebUiSealedWithHpkeCore() throws Exception {
        JsonObject key = json("test-key.json");
        JsonObject sealed = json("sealed-by-web-ui.json");

        byte[] secret = SealedSecrets.open(sealedSecret(sealed, key), key.get("checkId").getAsString(), privateKey(key));

        assertThat(new String(secret, StandardCharsets.UTF_8)).isEqualTo(key.get("secret").getAsString());
    }

    @Test
    void refusesTheWebUisSecretForAnotherCheckOrAnotherKey() throws Exception {
        JsonObject key = json("test-key.json");
        SealedSecret sealed = sealedSecret(json("sealed-by-web-ui.json"), key);

        assertThatThrownBy(() -> SealedSecrets.open(sealed, "nas-copy", privateKey(key)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("cannot open the sealed password of check nas-copy");
        PrivateKey someoneElse = io.rampart.protocol.identity.CertificateRequests.newKeyPair().getPrivate();
        assertThatThrownBy(() -> SealedSecrets.open(sealed, key.get("checkId").getAsString(), someoneElse))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void sealsWhatTheWebUiOpensAndItsPublicPointIsTheCertificates() throws Exception {
        JsonObject key = json("test-key.json");
        byte[] point = Base64.getDecoder().decode(key.get("publicKey").getAsString());
        assertThat(SealedSecrets.publicPoint(privateKey(key))).isEqualTo(point);

        SealedSecret sealed = SealedSecrets.seal(point, key.get("keyId").getAsString(), key.get("checkId").getAsString(),
                key.get("name").getAsString(), key.get("secret").getAsString().getBytes(StandardCharsets.UTF_8));
        assertThat(SealedSecrets.open(sealed, key.get("checkId").getAsString(), privateKey(key)))
                .isEqualTo(key.get("secret").getAsString().getBytes(StandardCharsets.UTF_8));

        Path fixture = FIXTURES.resolve("sealed-by-agent.json");
        if ("1".equals(System.getenv("RAMPART_WRITE_SEALING_FIXTURE")) || !Files.exists(fixture)) {
            JsonObject written = new JsonObject();
            written.addProperty("agentId", "00000000-0000-0000-0000-000000000001");
            written.addProperty("keyId", sealed.getKeyId());
            written.addProperty("encapsulatedKey", Base64.getEncoder().encodeToString(sealed.getEncapsulatedKey().toByteArray()));
            written.addProperty("ciphertext", Base64.getEncoder().encodeToString(sealed.getCiphertext().toByteArray()));
            Files.writeString(fixture, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(written) + "\n");
        }
    }

    static JsonObject json(String name) throws Exception {
        return JsonParser.parseString(Files.readString(FIXTURES.resolve(name))).getAsJsonObject();
    }

    static PrivateKey privateKey(JsonObject key) throws Exception {
        Path pem = Files.createTempFile("test-key", ".pem");
        try {
            Files.writeString(pem, key.get("privateKeyPkcs8").getAsString());
            return Pem.readPrivateKey(pem);
        } finally {
            Files.delete(pem);
        }
    }

    static SealedSecret sealedSecret(JsonObject sealed, JsonObject key) {
        return SealedSecret.newBuilder().setName(key.get("name").getAsString()).setKeyId(sealed.get("keyId").getAsString())
                .setEncapsulatedKey(ByteString.copyFrom(Base64.getDecoder().decode(sealed.get("encapsulatedKey").getAsString())))
                .setCiphertext(ByteString.copyFrom(Base64.getDecoder().decode(sealed.get("ciphertext").getAsString())))
                .build();
    }
}
