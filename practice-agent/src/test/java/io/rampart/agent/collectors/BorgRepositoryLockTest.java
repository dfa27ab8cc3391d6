package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryCheckRun;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * Rampart never breaks the backups it watches, against the real borg. A borg check is caught in the middle of its
 * work holding borg's exclusive lock by swapping the repository's first segment file (written by borg init, no longer
 * holding the manifest, so borg list does not read it) for a named pipe nobody writes to.
 */
class BorgRepositoryLockTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path borgBase;
    private Path data;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("borg-repo");
        passwordFile = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        borgBase = dir.resolve("backup-job-home");
        data = BackupTools.sampleData(dir);
        BackupTools.borgInit(repository, passwordFile, borgBase);
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-first", data);
    }

    @Test
    void borgCheckStoppedAtItsTimeLimitRemovesItsLockAndTheNextBackupSucceeds() throws IOException {
        Path segment = blockFirstSegment();

        // borg takes its first SIGINT as a request (borg create checkpoints on it) and may carry on; SIGTERM stops it cleanly
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("borg", "check", repository.toString()))
                .environment(Map.of("BORG_PASSCOMMAND", "cat " + passwordFile, "BORG_BASE_DIR", borgBase.toString(), "HOME", borgBase.toString()))
                .withoutInherited("BORG_").timeout(Duration.ofSeconds(3)).stopGraces(Duration.ofSeconds(3), Duration.ofSeconds(10)).run();

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.stop()).isIn(ExternalCommand.Stop.INTERRUPTED, ExternalCommand.Stop.TERMINATED);
        assertThat(repository.resolve("lock.exclusive")).doesNotExist();
        assertThat(repository.resolve("lock.roster")).doesNotExist();
        unblock(segment);
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-second", data);
    }

    @Test
    void aBorgCheckInsideTheBackupWindowDoesNotRunAndSaysWhenItWill() throws IOException {
        // were the check to run, it would wait on the blocked segment until its time limit and fail
        Path segment = blockFirstSegment();
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + repository, "check.office-borg.password-file=" + passwordFile,
                "check.office-borg.timeout=3s").withBackupWindow("21:00-06:30");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime night = now.with(LocalTime.of(23, 0)).withSecond(0).withNano(0);
        night = night.isAfter(now) ? night : night.plusDays(1);

        CheckResult result = collector(settings, Clock.fixed(night.toInstant(), ZoneOffset.UTC)).run(check());

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("latest archive pc-first is ").endsWith("; 1 archive back to "
                + now.toLocalDate() + "; repository check deferred until after 06:30 on " + night.toLocalDate().plusDays(1)
                + " (the backup window 21:00-06:30 is open); no repository check has run yet");
        assertThat(result.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
        assertThat(repository.resolve("lock.exclusive")).doesNotExist();
        unblock(segment);
    }

    @Test
    void insideTheBackupWindowTheWholeBorgCheckWaitsBecauseEvenBorgListLocksTheRepository() throws IOException {
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + repository, "check.office-borg.password-file=" + passwordFile)
                .withBackupWindow("21:00-06:30");
        ZonedDateTime night = ZonedDateTime.of(2026, 11, 30, 23, 0, 0, 0, ZoneOffset.UTC);

        assertThat(collector(settings, Clock.fixed(night.toInstant(), ZoneOffset.UTC)).deferredUntil(check()))
                .contains(night.plusDays(1).with(LocalTime.of(6, 30)).toInstant());
        assertThat(collector(settings, Clock.fixed(night.withHour(13).toInstant(), ZoneOffset.UTC)).deferredUntil(check())).isEmpty();
        assertThat(collector(checks(dir, "check.office-borg.repository=" + repository), Clock.fixed(night.toInstant(), ZoneOffset.UTC))
                .deferredUntil(check())).as("no backup window set").isEmpty();
    }

    private Path blockFirstSegment() throws IOException {
        Path segment = repository.resolve("data/0/0");
        Files.move(segment, dir.resolve("segment-0"));
        ExternalCommand.Outcome fifo = ExternalCommand.of(List.of("mkfifo", segment.toString())).run();
        assertThat(fifo.succeeded()).as(fifo.output()).isTrue();
        return segment;
    }

    private void unblock(Path segment) throws IOException {
        Files.delete(segment);
        Files.move(dir.resolve("segment-0"), segment);
    }

    private BorgRepositoryCollector collector(LocalChecks settings, Clock clock) {
        return new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, clock);
    }

    private static CheckDefinition check() {
        return CheckDefinition.newBuilder().setCheckId("office-borg").setKind(CheckKind.CHECK_KIND_BORG_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(48))).setMinSnapshots(1))
                .build();
    }
}
