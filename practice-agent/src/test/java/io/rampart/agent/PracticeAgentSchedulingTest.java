package io.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.cli.MainForTests;
import io.rampart.agent.collectors.folder.ManifestReadBack;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * A check that hangs (here: a read-back whose manifest sits on a "share" that does not answer, a FIFO nobody writes)
 * never delays heartbeats or other checks, and is not started a second time while it runs.
 */
class PracticeAgentSchedulingTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private AgentHome home;
    private Path hungManifest;

    @BeforeEach
    void enrolWithAHungAndAHealthyCheck() throws Exception {
        URI server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        home = AgentHome.at(directory.resolve("home"));
        Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
        Path nas = Files.createDirectories(directory.resolve("nas"));
        Files.write(nas.resolve("2026-11-30.bak"), new byte[] { 1, 2, 3 });
        hungManifest = nas.resolve(ManifestReadBack.MANIFEST);
        Process mkfifo = new ProcessBuilder("mkfifo", hungManifest.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Path archive = Files.createDirectories(directory.resolve("archive"));
        Files.write(archive.resolve("2026-11.bak"), new byte[] { 4, 5, 6 });
        Files.writeString(home.checksFile(), "check.nas-copy.path=" + nas + "\ncheck.archive.path=" + archive + "\n");
        controlPlane.configuration = AgentConfiguration.newBuilder().setVersion(2)
                .setHeartbeatInterval(DesiredConfiguration.toProto(SECOND))
                .addChecks(CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setInterval(DesiredConfiguration.toProto(SECOND)).setBackupFolder(BackupFolderSettings.newBuilder().setReadBack(true)))
                .addChecks(CheckDefinition.newBuilder().setCheckId("archive").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setInterval(DesiredConfiguration.toProto(SECOND)).setBackupFolder(BackupFolderSettings.getDefaultInstance()))
                .build();
    }

    @AfterEach
    void stopControlPlane() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void heartbeatsAndOtherChecksAreDeliveredWhileACheckHangsAndItIsNotStartedTwice() throws Exception {
        try (PracticeAgent agent = PracticeAgent.open(home, Clock.systemUTC())) {
            agent.refreshConfiguration();
            agent.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> running("nas-copy").filter(run -> run.dueAgain() >= 2).isPresent());
            long heartbeatsBefore = count(AgentEvent::hasHeartbeat);
            long archiveResultsBefore = results("archive");
            await().atMost(Duration.ofSeconds(20)).until(() -> count(AgentEvent::hasHeartbeat) >= heartbeatsBefore + 2
                    && results("archive") >= archiveResultsBefore + 2);
            assertThat(results("nas-copy")).as("the hung check has reported nothing yet").isZero();
            assertThat(running("nas-copy")).get().satisfies(run -> assertThat(run.running()).isTrue());
            assertThat(status()).containsPattern("checks running:   nas-copy running since \\S+ \\(\\d+ s\\); came due \\d+ times meanwhile,"
                    + " not started twice");

            // the share answers again: the hung read-back gets its manifest and its (one) result is delivered;
            // later runs read a plain manifest
            String manifest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] { 1, 2, 3 }))
                    + "  2026-11-30.bak\n";
            Path fifo = Files.move(hungManifest, hungManifest.resolveSibling("answering-share"));
            Files.writeString(hungManifest, manifest);
            Thread share = new Thread(() -> {
                try {
                    Files.writeString(fifo, manifest);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            share.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> results("nas-copy") >= 1);
            share.join(Duration.ofSeconds(10).toMillis());
        }
        AgentEvent nasCopy = controlPlane.received.stream()
                .filter(e -> e.hasCheckResult() && e.getCheckResult().getCheckId().equals("nas-copy")).findFirst().orElseThrow();
        assertThat(nasCopy.getCheckResult().getBackupFolder().getReadBack().getFilesVerified()).isEqualTo(1);
        assertThat(RunningChecks.read(home.runningChecksFile()).runs()).as("a stopped agent shows nothing running").isEmpty();
    }

    private java.util.Optional<RunningChecks.Run> running(String checkId) {
        return RunningChecks.read(home.runningChecksFile()).runs().stream().filter(run -> run.checkId().equals(checkId)).findFirst();
    }

    private long count(java.util.function.Predicate<AgentEvent> what) {
        return controlPlane.received.stream().filter(what).count();
    }

    private long results(String checkId) {
        return count(e -> e.hasCheckResult() && e.getCheckResult().getCheckId().equals(checkId));
    }

    private String status() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MainForTests.run(new PrintStream(out, true, StandardCharsets.UTF_8), Map.of(), "status", "--home", home.directory().toString());
        return out.toString(StandardCharsets.UTF_8);
    }
}
