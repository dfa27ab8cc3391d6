package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.collectors.ResticLockFixture;
import io.rampart.agent.collectors.ResticRepositoryCollector;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositoryCheckRun;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * The restic collector against the real restic, its result fed to cloud-copy: a check put off to stay out of the
 * backup window is no failed check, and a stale lock of someone else's fails both, in the agent's words.
 */
class RepositoryLockVerdictsAgreeTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path data;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("repo");
        passwordFile = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        data = BackupTools.sampleData(dir);
        BackupTools.resticInit(repository, passwordFile);
        BackupTools.resticBackup(repository, passwordFile, data);
    }

    @Test
    void aCheckDeferredByTheBackupWindowIsNoFailedCheckForTheRule() throws IOException {
        Instant now = Instant.now();
        // the practice's backups run from half an hour ago for 7 h, whatever the time of day the test runs
        LocalTime time = now.atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
        LocalChecks settings = settings().withBackupWindow(time.minusMinutes(30) + "-" + time.plusHours(7));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        CheckResult result = collector(settings, clock).run(check());

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRepository().getCheckRun()).isEqualTo(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
        assertThat(result.getRepository().getCheckPassed()).isFalse();
        assertThat(result.getSummary()).contains("; repository check deferred until after ").endsWith("; no repository check has run yet");
        RuleVerdict verdict = judge(result, clock.instant());
        assertThat(verdict.status()).as(verdict.reason()).isEqualTo(PracticeStatus.PASS);
        assertThat(verdict.reason()).startsWith("last cloud copy ").endsWith(" ago (limit 26 h)");
    }

    @Test
    void aCheckThatNeverFitsOutsideTheBackupWindowWarnsOnTheAgentAndPutsTheRuleAtRisk() throws IOException {
        Instant now = Instant.now();
        LocalTime time = now.atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
        // the backups run for 22 h of every day; the check may take 3 h
        Path file = dir.resolve("checks.properties");
        Files.write(file, List.of("check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + passwordFile,
                "check.cloud-copy.timeout=3 h"));
        String window = time.minusHours(1) + "-" + time.plusHours(21);
        LocalChecks settings = LocalChecks.read(file).withBackupWindow(window);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);

        CheckResult result = collector(settings, clock).run(check());

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).contains("; the repository check never runs: a check of up to 3 h never ends before the backup window "
                + window + " opens again");
        RuleVerdict verdict = judge(result, clock.instant());
        assertThat(verdict).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.AT_RISK, "the cloud copy repository check never runs: "
                + "a check of up to 3 h never ends before the backup window " + window + " opens again"));
    }

    @Test
    void aStaleLockOfSomeoneElseFailsTheAgentAndTheRuleInTheSameWords() throws IOException {
        ResticLockFixture fixture = new ResticLockFixture(repository, passwordFile, dir);
        fixture.leaveStaleLock(List.of("restic", "--no-cache", "backup", data.toString()), started -> {});
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));

        CheckResult result = collector(settings(), clock).run(check());

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("a stale shared restic lock of PID ").contains(", 2 h old, stops the next prune")
                .endsWith(", run restic unlock");
        RuleVerdict verdict = judge(result, clock.instant());
        assertThat(verdict).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.FAIL, "the cloud copy check failed: " + result.getSummary()));
        assertThat(fixture.locks()).hasSize(1);
    }

    @Test
    void theAgentsOwnStaleLockIsRemovedAndTheRulePasses() throws IOException {
        ResticLockFixture fixture = new ResticLockFixture(repository, passwordFile, dir);
        AgentHome home = AgentHome.at(dir.resolve("agent-home"));
        long pid = fixture.leaveStaleLock(List.of("restic", "--no-cache", "check"),
                io.rampart.agent.collectors.RepositoryMemory.of(home, "cloud-copy").recorder(Clock.systemUTC()));

        CheckResult result = collector(settings(), Clock.systemUTC()).run(check());

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).endsWith("removed a stale lock that the agent's own restic (PID " + pid + ") left behind");
        assertThat(judge(result, Instant.now()).status()).isEqualTo(PracticeStatus.PASS);
        assertThat(fixture.locks()).isEmpty();
    }

    @Test
    void aDeferredCheckKeepsTheVerdictOfTheLastCheckThatRan() {
        Instant now = Instant.parse("2026-11-30T23:00:00Z");
        RepositoryObservation.Builder deferred = RepositoryObservation.newBuilder().setSnapshotCount(3)
                .setLatestSnapshotAt(ProtoTime.timestamp(now.minus(Duration.ofHours(2))))
                .setCheckRun(RepositoryCheckRun.REPOSITORY_CHECK_RUN_DEFERRED);
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY);

        CheckResult lastFailed = result.clone().setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("restic check failed 9 h ago: x")
                .setRepository(deferred.clone().setCheckPassed(false).setLastCheckAt(ProtoTime.timestamp(now.minus(Duration.ofHours(9))))).build();
        assertThat(judge(lastFailed, now)).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.FAIL, "the cloud copy repository check failed"));

        CheckResult lastPassed = result.clone().setStatus(CheckStatus.CHECK_STATUS_PASS)
                .setRepository(deferred.clone().setCheckPassed(true).setLastCheckAt(ProtoTime.timestamp(now.minus(Duration.ofHours(9))))).build();
        assertThat(judge(lastPassed, now).status()).isEqualTo(PracticeStatus.PASS);

        // put off for days (a lock nobody releases): the old pass no longer vouches for the repository
        CheckResult longAgo = result.clone().setStatus(CheckStatus.CHECK_STATUS_WARN)
                .setRepository(deferred.clone().setCheckPassed(true).setLastCheckAt(ProtoTime.timestamp(now.minus(Duration.ofDays(5))))
                        .setCheckDeferredBecause("the repository is locked by PID 4242 on host nas: a backup running?"))
                .build();
        assertThat(judge(longAgo, now)).isEqualTo(new RuleVerdict("cloud-copy", PracticeStatus.AT_RISK,
                "the cloud copy repository has not been checked for 5 days (the repository is locked by PID 4242 on host nas: a backup running?)"));

        // an old agent's event has no check_run: a check that did not pass failed, as before
        CheckResult old = result.clone().setStatus(CheckStatus.CHECK_STATUS_FAIL)
                .setRepository(deferred.clone().clearCheckRun().setCheckPassed(false)).build();
        assertThat(judge(old, now).status()).isEqualTo(PracticeStatus.FAIL);
    }

    private static RuleVerdict judge(CheckResult result, Instant now) {
        return new CloudCopyRule().evaluate(PracticeEvidence.onboarded("practice-1", now.minus(Duration.ofDays(30)))
                .withCheck(new CheckEvidence(result, now)), now);
    }

    private LocalChecks settings() throws IOException {
        Path file = dir.resolve("checks.properties");
        Files.write(file, List.of("check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + passwordFile,
                "check.cloud-copy.timeout=1 h"));
        return LocalChecks.read(file);
    }

    private ResticRepositoryCollector collector(LocalChecks settings, Clock clock) {
        return new ResticRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, clock);
    }

    private static CheckDefinition check() {
        return CheckDefinition.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26))).setMinSnapshots(1))
                .build();
    }
}
