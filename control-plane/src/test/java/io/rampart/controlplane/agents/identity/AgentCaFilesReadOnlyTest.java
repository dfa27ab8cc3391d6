package io.rampart.controlplane.agents.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.protocol.identity.Pem;

/**
 * The agents' CA in a directory the control plane cannot write: the Helm chart mounts it from a Secret on a
 * read-only root filesystem. A server certificate that would be issued again (other names, near its end) is
 * kept while it is valid; once it is not, the start fails naming the remedy. The directory is told read-only
 * through {@link AgentCaFiles#in(Path, java.util.function.Predicate)}: the tests run as root, for whom a
 * chmod'ed directory stays writable.
 */
class AgentCaFilesReadOnlyTest {

    private static final Instant MADE = Instant.parse("2026-01-05T09:00:00Z");

    @TempDir
    Path ca;

    @Test
    void aReadOnlyDirectoryKeepsItsServerCertificateWhenTheServerNamesChangedAndWritesNothing() throws Exception {
        AgentCaFiles.in(ca).ensure(List.of("localhost", "127.0.0.1"), MADE);
        Map<String, String> before = contents();

        AgentCaFiles.in(ca, directory -> false).ensure(List.of("rampart.example.com"), MADE.plus(Duration.ofDays(1)));

        assertThat(contents()).isEqualTo(before);
        assertThat(serverNames()).containsExactly("localhost", "127.0.0.1");
    }

    @Test
    void aReadOnlyDirectoryKeepsAServerCertificateNearingItsEndWhileItIsValid() throws Exception {
        AgentCaFiles.in(ca).ensure(List.of("rampart.example.com"), MADE);
        Map<String, String> before = contents();

        // 397-day certificates are issued again 30 days before their end; 380 days on, 17 are left
        AgentCaFiles.in(ca, directory -> false).ensure(List.of("rampart.example.com"), MADE.plus(Duration.ofDays(380)));

        assertThat(contents()).isEqualTo(before);
    }

    @Test
    void aReadOnlyDirectoryWhoseServerCertificateEndedStopsTheStartNamingTheRemedy() {
        AgentCaFiles.in(ca).ensure(List.of("rampart.example.com"), MADE);

        assertThatThrownBy(() -> AgentCaFiles.in(ca, directory -> false).ensure(List.of("rampart.example.com"),
                MADE.plus(Duration.ofDays(400))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("The gRPC server's certificate " + ca.resolve("server.crt"))
                .hasMessageContaining("ends 2027-02-06T09:00:00Z, within 30 days")
                .hasMessageContaining("the directory is read-only (a Secret?)")
                .hasMessageContaining("RAMPART_AGENTS_CA_DIR set to a writable copy of its files and "
                        + "RAMPART_AGENTS_SERVER_NAMES=rampart.example.com");
    }

    @Test
    void aReadOnlyDirectoryWithoutAServerCertificateStopsTheStartSayingItIsMissing() throws IOException {
        AgentCaFiles.in(ca).ensure(List.of("rampart.example.com"), MADE);
        Files.delete(ca.resolve("server.crt"));

        assertThatThrownBy(() -> AgentCaFiles.in(ca, directory -> false).ensure(List.of("rampart.example.com"), MADE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("server.crt is missing");
    }

    @Test
    void aWritableDirectoryIssuesTheServerCertificateAgainForNewServerNames() throws Exception {
        AgentCaFiles.in(ca).ensure(List.of("localhost"), MADE);

        AgentCaFiles.in(ca).ensure(List.of("rampart.example.com"), MADE.plus(Duration.ofDays(1)));

        assertThat(serverNames()).containsExactly("rampart.example.com");
    }

    private List<String> serverNames() throws CertificateParsingException {
        X509Certificate server = Pem.readCertificates(ca.resolve("server.crt")).get(0);
        return server.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();
    }

    /** Every file of the directory with its bytes (Base64-free: compared as Latin-1 text). */
    private Map<String, String> contents() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> listed = Files.list(ca)) {
            for (Path file : listed.toList()) {
                files.put(file.getFileName().toString(), new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }
}
