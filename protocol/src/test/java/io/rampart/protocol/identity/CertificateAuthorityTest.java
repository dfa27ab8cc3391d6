package io.rampart.protocol.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
    private final CertificateAuthority ca = CertificateAuthority.create("Rampart test CA", NOW, Duration.ofDays(3650));

    @Test
    void anAgentsRequestBecomesAClientCertificateNamingTheAgentWhateverSubjectItAskedFor() throws Exception {
        KeyPair keys = CertificateRequests.newKeyPair();
        X509Certificate certificate = ca.signAgent(CertificateRequests.request(keys, "administrator"), "agent-7", NOW, Duration.ofDays(30));

        assertThat(CertificateAuthority.agentId(certificate)).contains("agent-7");
        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(ca.issued(certificate)).isTrue();
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(certificate.getNotBefore().toInstant()).isBefore(NOW);
    }

    @Test
    void aRequestThatIsNotPkcs10OrWhoseSignatureIsWrongIsRefusedWithTheReason() {
        byte[] request = CertificateRequests.request(CertificateRequests.newKeyPair(), "agent");
        byte[] tampered = Arrays.copyOf(request, request.length);
        tampered[tampered.length - 5] ^= 0x55;

        assertThatThrownBy(() -> ca.signAgent(new byte[0], "a", NOW, Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCertificateRequest.class).hasMessageContaining("no certificate signing request");
        assertThatThrownBy(() -> ca.signAgent("hello".getBytes(), "a", NOW, Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCertificateRequest.class).hasMessageContaining("not PKCS#10");
        assertThatThrownBy(() -> ca.signAgent(tampered, "a", NOW, Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCertificateRequest.class).hasMessageContaining("signature");
    }

    @Test
    void anotherCasCertificateIsNotOneOfOurs() {
        CertificateAuthority other = CertificateAuthority.create("Rampart test CA", NOW, Duration.ofDays(3650));
        X509Certificate foreign = other.signAgent(CertificateRequests.request(CertificateRequests.newKeyPair(), "x"), "agent-7", NOW,
                Duration.ofDays(30));

        assertThat(ca.issued(foreign)).isFalse();
    }

    @Test
    void theServerCertificateNamesEveryHostAndAddressAgentsUse() throws Exception {
        KeyPair keys = CertificateRequests.newKeyPair();
        X509Certificate server = ca.issueServer(keys.getPublic(), List.of("localhost", "rampart.example.net", "127.0.0.1"), NOW,
                Duration.ofDays(825));

        assertThat(server.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactly((Object) "localhost", "rampart.example.net", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void savedAndLoadedTheCaSignsTheSameWayAndItsKeyIsOwnerOnly(@TempDir Path dir) throws Exception {
        ca.save(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));

        X509Certificate signed = loaded.signAgent(CertificateRequests.request(CertificateRequests.newKeyPair(), "x"), "a", NOW,
                Duration.ofDays(1));
        assertThat(ca.issued(signed)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
