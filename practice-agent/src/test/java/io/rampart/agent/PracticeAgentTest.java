package io.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.outbox.Outbox;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.Pem;

class PracticeAgentTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private URI server;
    private AgentHome home;

    @BeforeEach
    void startControlPlane() throws IOException {
        server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        home = AgentHome.at(directory.resolve("home"));
    }

    @AfterEach
    void stopControlPlane() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void enrolmentSendsOnlyAPublicKeyAndKeepsThePrivateKeyReadableByTheOwnerOnly() throws Exception {
        EnrolledIdentity identity = enroll();

        assertThat(identity.agentId()).isEqualTo(FakeControlPlane.AGENT_ID);
        assertThat(identity.practiceId()).isEqualTo(FakeControlPlane.PRACTICE_ID);
        assertThat(home.readIdentity()).contains(identity);
        assertThat(controlPlane.enrolments.get(0).getHostname()).isEqualTo("reception-pc");

        X509Certificate certificate = home.certificate().certificate();
        PKCS10CertificationRequest sent = new PKCS10CertificationRequest(controlPlane.enrolments.get(0).getCertificateSigningRequest().toByteArray());
        assertThat(sent.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(certificate.getPublicKey().getEncoded());
        assertThat(CertificateAuthority.agentId(certificate)).contains(FakeControlPlane.AGENT_ID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.privateKeyFile()))).isEqualTo("rw-------");
        assertThat(Pem.readCertificates(home.caFile())).containsExactly(controlPlane.pki.caCertificate());
    }

    @Test
    void enrolmentRefusesAServerItsCaDidNotCertifyAndKeepsNothing() {
        X509Certificate someoneElsesCa = new TestPki().caCertificate();

        assertThatThrownBy(() -> Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(someoneElsesCa)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(controlPlane.enrolments).isEmpty();
        assertThat(home.readIdentity()).isEmpty();
        assertThat(home.privateKeyFile()).doesNotExist();
    }

    @Test
    void agentsSpeakTlsOnly() {
        assertThatThrownBy(() -> Enrolment.enroll(home, URI.create("http://localhost:9000"), FakeControlPlane.TOKEN, "pc",
                List.of(controlPlane.pki.caCertificate())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://host:port");
    }

    @Test
    void renewsItsCertificateWithANewKeyOnceAThirdOfItsValidityIsLeftAndIsKnownByTheNewOneAfterwards() throws Exception {
        enroll();
        X509Certificate first = home.certificate().certificate();
        Instant now = Instant.now();

        try (PracticeAgent early = PracticeAgent.open(home, Clock.fixed(now.plus(Duration.ofDays(15)), ZoneOffset.UTC))) {
            assertThat(early.renewCertificateIfDue()).isFalse();
        }
        assertThat(controlPlane.renewals).isEmpty();

        try (PracticeAgent due = PracticeAgent.open(home, Clock.fixed(now.plus(Duration.ofDays(21)), ZoneOffset.UTC))) {
            assertThat(due.renewCertificateIfDue()).isTrue();
            due.refreshConfiguration();
        }
        X509Certificate renewed = home.certificate().certificate();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(controlPlane.callers).last().isEqualTo(FakeControlPlane.AGENT_ID);
    }

    @Test
    void enrolmentWithARefusedTokenFailsWithTheControlPlanesStatus() {
        assertThatThrownBy(() -> Enrolment.enroll(home, server, "used-token", "reception-pc", List.of(controlPlane.pki.caCertificate())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(home.readIdentity()).isEmpty();
    }

    @Test
    void refusesToOpenBeforeEnrolment() {
        assertThatThrownBy(() -> PracticeAgent.open(home, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("not enrolled: run `rampart-agent enroll ...` first");
    }

    @Test
    void runsTheConfiguredChecksAndDeliversThemWithTheEnrolledPractice() throws IOException {
        enroll();
        Path backups = Files.createDirectories(directory.resolve("nas"));
        Files.write(backups.resolve("2026-11-25.bak"), new byte[100]);
        Files.setLastModifiedTime(backups.resolve("2026-11-25.bak"), FileTime.from(NOW.minus(Duration.ofHours(2))));
        Files.writeString(home.checksFile(), "check.nas-copy.path=" + backups + "\n");
        controlPlane.configuration = AgentConfiguration.newBuilder().setVersion(3)
                .addChecks(CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))))
                .build();

        try (PracticeAgent agent = PracticeAgent.open(home, CLOCK)) {
            agent.refreshConfiguration();
            agent.runChecksNow();
            assertThat(agent.outboxSize()).isEqualTo(2);

            assertThat(agent.deliverNow()).isEqualTo(2);
            assertThat(agent.outboxSize()).isZero();
        }

        assertThat(controlPlane.received).hasSize(2).allSatisfy(event -> {
            assertThat(event.getPracticeId()).isEqualTo(FakeControlPlane.PRACTICE_ID);
            assertThat(event.getEventId()).isNotBlank();
            assertThat(event.getOccurredAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
        });
        AgentEvent checkResult = controlPlane.received.stream().filter(AgentEvent::hasCheckResult).findFirst().orElseThrow();
        assertThat(checkResult.getCheckResult().getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(checkResult.getCheckResult().getBackupFolder().getPath()).isEmpty();
        // every call after enrolment presented the agent's own certificate
        assertThat(controlPlane.callers).containsOnly("", FakeControlPlane.AGENT_ID).endsWith(FakeControlPlane.AGENT_ID);
        assertThat(home.readState().configuration().version()).isEqualTo(3);
        assertThat(home.readState().lastDeliveryAt()).contains(NOW);
    }

    @Test
    void keepsObservationsInTheOutboxWhileTheControlPlaneIsUnreachable() throws Exception {
        enroll();
        controlPlane.close();

        try (PracticeAgent agent = PracticeAgent.open(home, CLOCK)) {
            agent.runChecksNow();

            assertThatThrownBy(agent::deliverNow).isInstanceOf(StatusRuntimeException.class);
            assertThat(agent.outboxSize()).isEqualTo(1);
        }
        try (PracticeAgent reopened = PracticeAgent.open(home, CLOCK)) {
            assertThat(reopened.outboxSize()).isEqualTo(1);
        }
    }

    @Test
    void startedAgentFetchesItsConfigurationAndDeliversAHeartbeat() {
        enroll();

        try (PracticeAgent agent = PracticeAgent.open(home, CLOCK)) {
            agent.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.received.stream().anyMatch(AgentEvent::hasHeartbeat));
            await().atMost(Duration.ofSeconds(10)).until(() -> home.readState().configuration().version() == 1);
        }
        AgentEvent heartbeat = controlPlane.received.stream().filter(AgentEvent::hasHeartbeat).findFirst().orElseThrow();
        assertThat(heartbeat.getHeartbeat().getHostname()).isNotBlank();
        assertThat(heartbeat.getHeartbeat().getAgentVersion()).isEqualTo("0.1.0-SNAPSHOT");
    }

    @Test
    void everyHeartbeatCountsTheEventsSetAsideAndSaysSinceWhen() {
        enroll();
        Instant setAsideAt = NOW.minus(Duration.ofHours(3));
        Outbox outbox = Outbox.open(home.outboxDirectory(), Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(setAsideAt, ZoneOffset.UTC));
        for (String id : List.of("refused-1", "refused-2")) {
            outbox.append(AgentEvent.newBuilder().setEventId(id).setPracticeId(FakeControlPlane.PRACTICE_ID)
                    .setOccurredAt(ProtoTime.timestamp(setAsideAt)).setHeartbeat(Heartbeat.getDefaultInstance()).build());
            outbox.setAside(id, "refused by the control plane: event " + id + " has a text PostgreSQL cannot store");
        }

        try (PracticeAgent agent = PracticeAgent.open(home, CLOCK)) {
            agent.runChecksNow();
            assertThat(agent.deliverNow()).isEqualTo(1);
        }

        Heartbeat heartbeat = controlPlane.received.get(0).getHeartbeat();
        assertThat(heartbeat.getEventsSetAside()).isEqualTo(2);
        assertThat(ProtoTime.instant(heartbeat.getOldestSetAsideAt())).isEqualTo(setAsideAt);
        assertThat(heartbeat.getOutboxDepth()).isZero();
    }

    private EnrolledIdentity enroll() {
        return Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
    }
}
