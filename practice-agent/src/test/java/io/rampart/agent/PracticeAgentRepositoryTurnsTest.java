package io.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * Checks that open restic repositories take turns, and waiting for the turn never takes one of the pool's threads: with
 * one restic check hung (its restic waits on a FIFO nobody writes) and four more restic checks due, more than the pool
 * has threads, a folder check and the heartbeats still run; once the hung one ends, the others get their turn.
 */
class PracticeAgentRepositoryTurnsTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final List<String> WAITING = List.of("offsite-1", "offsite-2", "offsite-3", "offsite-4");

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private AgentHome home;
    private Path hungRestic;

    @BeforeEach
    void enrolWithFiveResticChecksAndAFolderCheck() throws Exception {
        URI server = URI.create("https://localhost:" + controlPlane.startOnLocalhost());
        home = AgentHome.at(directory.resolve("home"));
        Enrolment.enroll(home, server, FakeControlPlane.TOKEN, "reception-pc", List.of(controlPlane.pki.caCertificate()));
        Path repository = Files.createDirectories(directory.resolve("repository"));
        Path password = Files.writeString(directory.resolve("restic.pass"), "secret\n");
        hungRestic = directory.resolve("hung-restic");
        assertThat(new ProcessBuilder("mkfifo", hungRestic.toString()).inheritIO().start().waitFor()).isZero();
        // a restic that hangs until the "share" answers (then answers at once, like the other), and one that answers at
        // once (and fails: no such repository)
        Path hanging = script("restic-on-a-hung-share", "if [ -p '" + hungRestic + "' ]; then cat '" + hungRestic + "' > /dev/null; rm -f '"
                + hungRestic + "'; fi\necho 'Fatal: unable to open config file' >&2\nexit 1\n");
        Path answering = script("restic-answering", "echo 'Fatal: unable to open config file' >&2\nexit 1\n");
        Path archive = Files.createDirectories(directory.resolve("archive"));
        Files.write(archive.resolve("2026-11.bak"), new byte[] { 4, 5, 6 });
        StringBuilder checks = new StringBuilder("check.archive.path=" + archive + "\n");
        checks.append(restic("cloud-copy", repository, password, hanging));
        WAITING.forEach(id -> checks.append(restic(id, repository, password, answering)));
        Files.writeString(home.checksFile(), checks);

        AgentConfiguration.Builder configuration = AgentConfiguration.newBuilder().setVersion(2)
                .setHeartbeatInterval(DesiredConfiguration.toProto(SECOND))
                .addChecks(CheckDefinition.newBuilder().setCheckId("archive").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setInterval(DesiredConfiguration.toProto(SECOND)).setBackupFolder(BackupFolderSettings.getDefaultInstance()));
        IntStream.range(0, WAITING.size() + 1).mapToObj(i -> i == 0 ? "cloud-copy" : WAITING.get(i - 1))
                .forEach(id -> configuration.addChecks(CheckDefinition.newBuilder().setCheckId(id).setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                        .setInterval(DesiredConfiguration.toProto(SECOND))
                        .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26))))));
        controlPlane.configuration = configuration.build();
    }

    @AfterEach
    void stopControlPlane() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void resticChecksWaitingForTheirTurnNeverStarveTheOtherChecks() throws Exception {
        try (PracticeAgent agent = PracticeAgent.open(home, Clock.systemUTC())) {
            agent.refreshConfiguration();
            agent.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> running("cloud-copy"));
            long heartbeatsBefore = count(AgentEvent::hasHeartbeat);
            long archiveBefore = results("archive");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(AgentEvent::hasHeartbeat) >= heartbeatsBefore + 3
                    && results("archive") >= archiveBefore + 3);
            assertThat(running("cloud-copy")).as("restic still hangs on its share").isTrue();
            assertThat(WAITING).as("none of the others ran beside it, nor holds a thread waiting")
                    .allSatisfy(id -> {
                        assertThat(results(id)).isZero();
                        assertThat(running(id)).isFalse();
                    });

            // the share answers: cloud-copy ends, and each waiting check gets its turn
            Thread share = new Thread(() -> {
                try {
                    Files.writeString(hungRestic, "x");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            share.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> results("cloud-copy") >= 1 && WAITING.stream().allMatch(id -> results(id) >= 1));
            share.join(Duration.ofSeconds(10).toMillis());
        }
    }

    private Path script(String name, String body) throws IOException {
        Path script = Files.writeString(directory.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static String restic(String checkId, Path repository, Path password, Path executable) {
        return "check." + checkId + ".repository=" + repository + "\ncheck." + checkId + ".password-file=" + password
                + "\ncheck." + checkId + ".executable=" + executable + "\n";
    }

    private boolean running(String checkId) {
        return RunningChecks.read(home.runningChecksFile()).runs().stream().anyMatch(run -> run.checkId().equals(checkId) && run.running());
    }

    private long count(Predicate<AgentEvent> what) {
        return controlPlane.received.stream().filter(what).count();
    }

    private long results(String checkId) {
        return count(e -> e.hasCheckResult() && e.getCheckResult().getCheckId().equals(checkId));
    }
}
