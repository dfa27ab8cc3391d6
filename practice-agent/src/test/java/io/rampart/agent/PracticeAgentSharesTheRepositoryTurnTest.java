package io.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.cli.RepositoryTurnHolder;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * The running service and {@code rampart-agent check} (another process) take the same repository turn: while another
 * process has it, the service opens no repository, and its other checks go on; once it is given back, the service's
 * repository check runs.
 */
class PracticeAgentSharesTheRepositoryTurnTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void theServiceOpensNoRepositoryWhileAnotherProcessHasTheTurn() throws Exception {
        URI server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        AgentHome home = AgentHome.at(directory.resolve("home"));
        Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
        Path archive = Files.createDirectories(directory.resolve("archive"));
        Files.write(archive.resolve("2026-11.bak"), new byte[] { 4, 5, 6 });
        Path started = directory.resolve("restic-started");
        Path restic =
                Files.writeString(directory.resolve("restic"), "#!/bin/sh\ntouch '" + started + "'\necho 'Fatal: unable to open config file' >&2\nexit 1\n");
        Files.setPosixFilePermissions(restic, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repository = Files.createDirectories(directory.resolve("repository"));
        Files.writeString(home.checksFile(), "check.archive.path=" + archive + "\ncheck.cloud-copy.repository=" + repository
                + "\ncheck.cloud-copy.password-file=" + Files.writeString(directory.resolve("restic.pass"), "secret\n")
                + "\ncheck.cloud-copy.executable=" + restic + "\n");
        controlPlane.configuration = AgentConfiguration.newBuilder().setVersion(2).setHeartbeatInterval(DesiredConfiguration.toProto(SECOND))
                .addChecks(CheckDefinition.newBuilder().setCheckId("archive").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setInterval(DesiredConfiguration.toProto(SECOND)).setBackupFolder(BackupFolderSettings.getDefaultInstance()))
                .addChecks(CheckDefinition.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                        .setInterval(DesiredConfiguration.toProto(SECOND))
                        .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))))
                .build();

        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RepositoryTurnHolder.class.getName(), home.directory().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (PracticeAgent agent = PracticeAgent.open(home, Clock.systemUTC())) {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine()).isEqualTo("holding");
            agent.refreshConfiguration();
            agent.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> results("archive") >= 3);
            assertThat(results("cloud-copy")).as("no repository check while another process has the turn").isZero();
            assertThat(started).doesNotExist();

            holder.getOutputStream().close();
            await().atMost(Duration.ofSeconds(30)).until(() -> results("cloud-copy") >= 1);
            assertThat(started).exists();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
    }

    private long results(String checkId) {
        return controlPlane.received.stream().filter(e -> e.hasCheckResult() && e.getCheckResult().getCheckId().equals(checkId)).count();
    }
}
