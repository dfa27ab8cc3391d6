package io.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.CentralSources;
import io.rampart.agent.config.SealedSecrets;
import io.rampart.protocol.CheckSources;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.SealedSecret;
import io.rampart.protocol.identity.Pem;

/** Sources set centrally for the practice, secrets sealed to the agent's key, and configurations that arrive over the watch. */
class PracticeAgentSourcesTest {

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private AgentHome home;
    private PracticeAgent agent;

    @BeforeEach
    void enrol() throws IOException {
        URI server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        home = AgentHome.at(directory.resolve("home"));
        Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        controlPlane.close();
    }

    @Test
    void learnsANewConfigurationOverTheWatchWithinSecondsWithoutWaitingForTheFiveMinutePoll() {
        agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.start();
        // opening the watch may take a while on a loaded machine; what is measured is the time from the change on.
        // The first poll may find a version the watch has not brought yet and reopen it, so wait for both to settle.
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.configurationVersion() == controlPlane.configuration.getVersion()
                && controlPlane.watchers.size() == 1);

        Instant published = Instant.now();
        controlPlane.publish(configuration(2, check("cloud-copy").addSources(CheckSources.of("repository", "/srv/restic")).build()));

        // well inside the 5-minute poll, so it came over the watch (the latency itself is the benchmark's to print)
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.configurationVersion() == 2);
        assertThat(Duration.between(published, Instant.now())).isLessThan(Duration.ofMinutes(1));
        assertThat(agent.checkSettings().setting("cloud-copy", "repository")).contains("/srv/restic");
    }

    @Test
    void aControlPlaneWithoutTheWatchIsStillPolled() {
        controlPlane.supportsWatch = false;
        controlPlane.configuration = configuration(3, check("nas-copy").addSources(CheckSources.of("path", "/mnt/nas")).build());
        agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.configurationVersion() == 3);
        assertThat(agent.checkSettings().folderFor("nas-copy")).contains(Path.of("/mnt/nas"));
    }

    @Test
    void checksPropertiesWinsWhereItSaysSomethingAndTheControlPlaneFillsInTheRest() throws IOException {
        Files.writeString(home.checksFile(), """
                check.cloud-copy.repository=/local/restic
                check.ups.host=127.0.0.1
                """);
        controlPlane.configuration = configuration(4,
                check("cloud-copy").addSources(CheckSources.of("repository", "sftp:backup@nas:/srv/restic")).addSources(CheckSources.of("timeout", "600"))
                        .build(),
                check("ups").setKind(CheckKind.CHECK_KIND_UPS).addSources(CheckSources.of("ups", "ups1")).addSources(CheckSources.of("host", "10.0.0.9"))
                        .build());
        agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.refreshConfiguration();

        assertThat(agent.checkSettings().setting("cloud-copy", "repository")).contains("/local/restic");
        assertThat(agent.checkSettings().setting("cloud-copy", "timeout")).contains("600");
        assertThat(agent.checkSettings().setting("ups", "host")).contains("127.0.0.1");
        assertThat(agent.checkSettings().setting("ups", "ups")).contains("ups1");
    }

    @Test
    void opensAPasswordSealedToItsKeyIntoAnOwnerOnlyFileThatBecomesTheChecksPasswordFile() throws Exception {
        controlPlane.configuration = configuration(5, check("cloud-copy").addSealedSecrets(sealedToThisAgent("cloud-copy", "s3cret")).build());
        agent = PracticeAgent.open(home, Clock.systemUTC());
        agent.refreshConfiguration();

        Path file = Path.of(agent.checkSettings().setting("cloud-copy", "password-file").orElseThrow());
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(home.stateFile())).doesNotContain("s3cret");

        Files.writeString(home.checksFile(), "check.cloud-copy.password-file=/etc/rampart-agent/restic.pass\n");
        assertThat(agent.checkSettings().setting("cloud-copy", "password-file")).contains("/etc/rampart-agent/restic.pass");

        controlPlane.configuration = configuration(6, check("cloud-copy").build());
        agent.refreshConfiguration();
        assertThat(file).doesNotExist();
    }

    @Test
    void saysToEnterASecretAgainWhenItWasSealedToAKeyThisAgentDoesNotHold() throws Exception {
        PrivateKey other = io.rampart.protocol.identity.CertificateRequests.newKeyPair().getPrivate();
        SealedSecret sealed = SealedSecrets.seal(SealedSecrets.publicPoint(other), "0".repeat(64), "cloud-copy", "password",
                "s3cret".getBytes(StandardCharsets.UTF_8));

        CentralSources.Applied applied = CentralSources.apply(configuration(7, check("cloud-copy").addSealedSecrets(sealed).build()), home);

        assertThat(applied.settings()).doesNotContainKey("cloud-copy");
        assertThat(applied.problems()).containsExactly("check cloud-copy: its password was sealed to a key this agent does not hold;"
                + " enter it again in the web UI (Sources) to seal it for this agent");
    }

    @Test
    void aSecretSealedBeforeACertificateRenewalStillOpensWithTheRetiredKey() throws Exception {
        SealedSecret sealed = sealedToThisAgent("cloud-copy", "before-renewal");
        Instant now = Instant.now();
        try (PracticeAgent renewing = PracticeAgent.open(home, Clock.fixed(now.plus(Duration.ofDays(21)), ZoneOffset.UTC))) {
            assertThat(renewing.renewCertificateIfDue()).isTrue();
        }

        CentralSources.Applied applied = CentralSources.apply(configuration(8, check("cloud-copy").addSealedSecrets(sealed).build()), home);

        assertThat(applied.problems()).isEmpty();
        assertThat(Files.readString(Path.of(applied.settings().get("cloud-copy").get("password-file")))).isEqualTo("before-renewal");
    }

    private SealedSecret sealedToThisAgent(String checkId, String secret) throws Exception {
        PrivateKey key = Pem.readPrivateKey(home.privateKeyFile());
        String keyId = SealedSecrets.keyId(home.certificate().certificate().getPublicKey().getEncoded());
        return SealedSecrets.seal(SealedSecrets.publicPoint(key), keyId, checkId, "password", secret.getBytes(StandardCharsets.UTF_8));
    }

    private static CheckDefinition.Builder check(String id) {
        return CheckDefinition.newBuilder().setCheckId(id).setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY);
    }

    private static AgentConfiguration configuration(long version, CheckDefinition... checks) {
        return AgentConfiguration.newBuilder().setVersion(version).addAllChecks(List.of(checks)).build();
    }
}
