package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryCheckRun;
import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;

/**
 * Rampart never breaks the backups it watches, against the real restic. A restic that must be caught in the middle of
 * its work holding its lock is made to wait: the repository's index file is swapped for a named pipe nobody writes to,
 * so restic blocks in "load indexes" right after taking its lock, until it is stopped.
 */
public class ResticRepositoryLockTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path data;
    private ResticLockFixture fixture;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("repo");
        passwordFile = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        data = BackupTools.sampleData(dir);
        BackupTools.resticInit(repository, passwordFile);
        fixture = new ResticLockFixture(repository, passwordFile, dir);
    }

    @Test
    void resticStoppedAtItsTimeLimitGetsSigintAndRemovesItsLock() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        fixture.blockIndex();

        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("restic", "--no-cache", "check")).environment(fixture.environment())
                .withoutInherited("RESTIC_").timeout(Duration.ofSeconds(3)).run();

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.stop()).isEqualTo(ExternalCommand.Stop.INTERRUPTED);
        assertThat(outcome.output()).contains("create exclusive lock for repository").contains("signal interrupt received, cleaning up");
        assertThat(fixture.locks()).isEmpty();
    }

    @Test
    void aCheckThatRunsPastItsTimeLimitLeavesNoLockAndTheNextBackupSucceeds() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        fixture.blockIndex();

        CheckResult result = collector(settings("check.cloud-copy.timeout=3s"), Clock.systemUTC()).run(ResticRepositoryCollectorTest.check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("restic check did not finish within 3 s (set check.cloud-copy.timeout to allow longer)");
        assertThat(fixture.locks()).isEmpty();
        fixture.unblockIndex();
        BackupTools.resticBackup(repository, passwordFile, data);
    }

    @Test
    void aCheckInsideTheBackupWindowDoesNotRunAndSaysWhenItWill() throws IOException {
        String snapshot = BackupTools.resticBackup(repository, passwordFile, data);
        LocalChecks settings = settings("check.cloud-copy.timeout=1 h").withBackupWindow("21:00-06:30");
        ZonedDateTime night = next(LocalTime.of(23, 0));

        CheckResult result = collector(settings, Clock.fixed(night.toInstant(), ZoneOffset.UTC)).run(ResticRepositoryCollectorTest.check(48, 0, 1));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("latest snapshot " + snapshot + " is ").endsWith("; 1 snapshot back to "
                + Instant.now().atZone(ZoneOffset.UTC).toLocalDate() + "; repository check deferred until after 06:30 on "
                + night.toLocalDate().plusDays(1) + " (the backup window 21:00-06:30 is open); no repository check has run yet");
        assertThat(result.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
        assertThat(ProtoTime.instant(result.getRepository().getCheckDeferredUntil()))
                .isEqualTo(night.plusDays(1).with(LocalTime.of(6, 30)).toInstant());
        assertThat(result.getRepository().getCheckDeferredBecause()).isEqualTo("the backup window 21:00-06:30 is open");
        assertThat(result.getRepository().hasLastCheckAt()).isFalse();
        assertThat(fixture.locks()).isEmpty();

        // after the window the check runs, and the next night says how it went
        ZonedDateTime morning = night.plusDays(1).with(LocalTime.of(6, 31));
        CheckResult ran = collector(settings, Clock.fixed(morning.toInstant(), ZoneOffset.UTC)).run(ResticRepositoryCollectorTest.check(48, 0, 1));
        assertThat(ran.getSummary()).endsWith("; check passed (structure only, no data read)");
        assertThat(ran.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_RAN);

        CheckResult nextNight = collector(settings, Clock.fixed(night.plusDays(1).toInstant(), ZoneOffset.UTC))
                .run(ResticRepositoryCollectorTest.check(48, 0, 1));
        assertThat(nextNight.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(nextNight.getSummary()).endsWith("; repository check deferred until after 06:30 on " + night.toLocalDate().plusDays(2)
                + " (the backup window 21:00-06:30 is open); last check passed 16 h 29 min ago");
        assertThat(nextNight.getRepository().getCheckPassed()).isTrue();
        assertThat(ProtoTime.instant(nextNight.getRepository().getLastCheckAt())).isEqualTo(morning.toInstant());
    }

    @Test
    void warnsWhenTheCheckCanNeverEndBeforeTheBackupWindowOpens() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        LocalChecks settings = settings("check.cloud-copy.timeout=7 h").withBackupWindow("08:00-02:00");
        ZonedDateTime noon = next(LocalTime.NOON);

        CheckResult result = collector(settings, Clock.fixed(noon.toInstant(), ZoneOffset.UTC)).run(ResticRepositoryCollectorTest.check(48, 0, 1));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).endsWith("; no repository check has run yet; the repository check never runs: a check of up to 7 h "
                + "never ends before the backup window 08:00-02:00 opens again (shorten check.cloud-copy.timeout or the backup window)");
        assertThat(result.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_NEVER_FITS);
        assertThat(result.getRepository().hasCheckDeferredUntil()).isFalse();
    }

    @Test
    void aStaleLockOfTheAgentsOwnKilledResticIsRemovedAndTheNextBackupSucceeds() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        RepositoryMemory memory = RepositoryMemory.of(home(), "cloud-copy");
        // an agent of old: restic check killed with SIGKILL, its exclusive lock left behind
        long pid = fixture.leaveStaleLock(List.of("restic", "--no-cache", "check"), memory.recorder(Clock.systemUTC()));
        assertThat(fixture.locks()).hasSize(1);

        CheckResult result = collector(settings(), Clock.systemUTC()).run(ResticRepositoryCollectorTest.check(26, 0, 1));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("; check passed (structure only, no data read); removed a stale lock that the agent's own "
                + "restic (PID " + pid + ") left behind");
        assertThat(result.getRepository().getLocksList()).singleElement().satisfies(lock -> {
            assertThat(lock.getState()).isEqualTo(RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OURS);
            assertThat(lock.getRemoved()).isTrue();
            assertThat(lock.getExclusive()).isTrue();
        });
        assertThat(fixture.locks()).isEmpty();
        BackupTools.resticBackup(repository, passwordFile, data);
    }

    @Test
    void aStaleLockOfThePracticesOwnKilledBackupIsReportedWithAgeAndHolderAndLeftAlone() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        // the practice's backup job on this server, killed (a reboot, a job timeout): not a process the agent started
        long pid = fixture.leaveStaleLock(List.of("restic", "--no-cache", "backup", data.toString()), started -> {});
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        CheckResult result = collector(settings(), Clock.offset(Clock.systemUTC(), Duration.ofHours(3)))
                .run(ResticRepositoryCollectorTest.check(26, 0, 1));

        assertThat(result.getStatus()).as(result.toString()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("a stale shared restic lock of PID " + pid + " (user " + System.getProperty("user.name")
                + ") on host " + host + ", 3 h old, stops the next prune and repository check: after making sure no backup is running on "
                + host + ", run restic unlock");
        RepositoryLock lock = result.getRepository().getLocks(0);
        assertThat(lock.getState()).isEqualTo(RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OTHER);
        assertThat(lock.getRemoved()).isFalse();
        assertThat(lock.getPid()).isEqualTo(pid);
        // the stale lock refuses restic check's exclusive lock: the check waits rather than failing on it
        assertThat(result.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
        assertThat(result.getRepository().getCheckDeferredBecause()).isEqualTo("the repository is locked by PID " + pid + " on host "
                + host + ", a stale lock");
        assertThat(fixture.locks()).hasSize(1);
    }

    @Test
    void aLockOfAnotherHostIsInUseWhileFreshAndStaleAfterThirtyMinutes() throws IOException {
        Assumptions.assumeTrue(ResticLockFixture.canUseOwnHostname(), "unshare --uts is not allowed here");
        BackupTools.resticBackup(repository, passwordFile, data);
        // restic check on the reception PC, killed: an exclusive lock the agent cannot see the process of
        long pid = fixture.leaveStaleLock(List.of("unshare", "--uts", "sh", "-c", "hostname reception-pc && exec restic --no-cache check"),
                started -> {});

        CheckResult fresh = collector(settings(), Clock.systemUTC()).run(ResticRepositoryCollectorTest.check(26, 0, 1));
        assertThat(fresh.getStatus()).as(fresh.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(fresh.getSummary()).endsWith("; repository check deferred to the next round (the repository is locked by PID " + pid
                + " on host reception-pc: a backup running?); no repository check has run yet");

        CheckResult later = collector(settings(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(45)))
                .run(ResticRepositoryCollectorTest.check(26, 0, 1));
        assertThat(later.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(later.getSummary()).isEqualTo("a stale exclusive restic lock of PID " + pid + " (user " + System.getProperty("user.name")
                + ") on host reception-pc, 45 min old, stops the next backup: after making sure no backup is running on reception-pc, "
                + "run restic unlock");
        assertThat(fixture.locks()).hasSize(1);
    }

    private static ZonedDateTime next(LocalTime time) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime at = now.with(time).withSecond(0).withNano(0);
        return at.isAfter(now) ? at : at.plusDays(1);
    }

    private AgentHome home() {
        return AgentHome.at(dir.resolve("agent-home"));
    }

    private LocalChecks settings(String... more) throws IOException {
        List<String> lines = new ArrayList<>(List.of("check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + passwordFile));
        lines.addAll(List.of(more));
        return checks(dir, lines.toArray(String[]::new));
    }

    private ResticRepositoryCollector collector(LocalChecks settings, Clock clock) {
        return new ResticRepositoryCollector(home(), settings, clock);
    }
}
