package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.collectors.BorgRepositoryCollector;
import io.rampart.agent.collectors.ResticRepositoryCollector;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * The agent's restic and borg collectors run against real repositories; their CheckResult goes to the control plane's
 * rules (cloud-copy, archive-retention), which must reach the same verdict in the same words: the agent measures
 * and classifies once, the rule judges the numbers it carries.
 */
class RepositoryVerdictsAgreeTest {

    private static final DateTimeFormatter RESTIC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @TempDir
    Path dir;

    @Test
    void anEmptySnapshotOfAnUnmountedShareFailsBothInTheSameWords() throws IOException {
        Restic restic = new Restic();
        String full = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        BackupTools.emptyFolder(restic.share);
        String empty = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Instant now = Instant.now();

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).isEqualTo(agent.getSummary())
                .isEqualTo("latest snapshot " + empty + " is empty: 0 bytes (only folders or empty files), where the previous " + full
                        + " held 97.7 KB in 7 files and folders; check that the folder or share it backs up is mounted");
    }

    @Test
    void theFirstSnapshotBeingEmptyFailsBoth() throws IOException {
        Restic restic = new Restic();
        BackupTools.emptyFolder(restic.share);
        String empty = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Instant now = Instant.now();

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).isEqualTo(agent.getSummary()).startsWith("latest snapshot " + empty + " is empty: 0 bytes");
    }

    @Test
    void aSnapshotUnderHalfThePreviousFailsBothInTheSameWords() throws IOException {
        Restic restic = new Restic();
        String before = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Files.write(restic.share.resolve("xrays/0001.dcm"), new byte[10_000]);
        String after = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Instant now = Instant.now();

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).isEqualTo(agent.getSummary()).isEqualTo("latest snapshot " + after
                + " holds 9.8 KB in 7 files and folders, under half of the previous " + before + " (97.7 KB in 7 files and folders)");
    }

    @Test
    void aSnapshotAfterOneOfOtherPathsPassesBoth() throws IOException {
        Restic restic = new Restic();
        BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        BackupTools.resticBackup(restic.repository, restic.password, etc);
        Instant now = Instant.now().plus(Duration.ofHours(2));

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).as(agent.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(rule.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(agent.getSummary()).contains(" is 2 h old (limit 26 h)");
        assertThat(rule.reason()).isEqualTo("last cloud copy 2 h ago (limit 26 h)");
    }

    @Test
    void aSnapshotDatedAYearAheadIsNotFreshForEither() throws IOException {
        Restic restic = new Restic();
        String real = BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        Instant now = Instant.now().plus(Duration.ofDays(3).plusMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        BackupTools.resticBackup(restic.repository, restic.password, restic.share, "--time",
                RESTIC_TIME.format(now.plus(Duration.ofDays(365))));

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(agent.getSummary()).startsWith("latest snapshot " + real + " is 3 days old (limit 26 h); clock problem on the backup host");
        assertThat(agent.getFutureDatedCount()).isEqualTo(1);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).contains("3 days ago (limit 26 h)").doesNotContain("0 s ago");
    }

    @Test
    void freshSnapshotsBesideOneDatedAheadAreJudgedByTheFreshOnesOnBothSides() throws IOException {
        Restic restic = new Restic();
        BackupTools.resticBackup(restic.repository, restic.password, restic.share);
        // rounded up: the snapshot is at least 5 h old by the time the agent looks
        Instant now = Instant.now().plus(Duration.ofHours(5)).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        String ahead = BackupTools.resticBackup(restic.repository, restic.password, restic.share, "--time",
                RESTIC_TIME.format(now.plus(Duration.ofDays(365))));

        CheckResult agent = restic.collect(now);
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(agent.getSummary()).contains(" is 5 h old (limit 26 h)")
                .endsWith("; clock problem on the backup host: snapshot " + ahead + " is dated " + now.plus(Duration.ofDays(365))
                        + ", 365 days ahead of this computer's clock (not counted as fresh)");
        assertThat(rule.status()).isNotEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).startsWith("last cloud copy 5 h ago (limit 26 h)");
    }

    @Test
    void anEmptyBorgArchiveFailsBothInTheSameWords() throws IOException {
        Path repository = dir.resolve("borg-repo");
        Path password = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        Path borgBase = dir.resolve("backup-job-home");
        Path share = BackupTools.sampleData(dir);
        BackupTools.borgInit(repository, password, borgBase);
        BackupTools.borgCreate(repository, password, borgBase, "pc-monday", share);
        BackupTools.emptyFolder(share);
        BackupTools.borgCreate(repository, password, borgBase, "pc-tuesday", share);
        LocalChecks settings = BackupTools.checks(dir, "check.cloud-copy.repository=" + repository,
                "check.cloud-copy.password-file=" + password);
        Instant now = Instant.now();

        CheckResult agent = new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC))
                .run(check(CheckKind.CHECK_KIND_BORG_REPOSITORY, "cloud-copy"));
        RuleVerdict rule = cloudCopy(agent, now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).isEqualTo(agent.getSummary()).isEqualTo("latest archive pc-tuesday is empty: 0 files, 0 bytes, "
                + "where the previous pc-monday held 3 files, 97.7 KB; check that the folder or share it backs up is mounted");
    }

    @Test
    void anEmptyLatestRestorePointFailsTheArchiveRuleInTheAgentsWords() throws IOException {
        Path repository = dir.resolve("borg-repo");
        Path password = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        Path borgBase = dir.resolve("backup-job-home");
        Path share = BackupTools.sampleData(dir);
        BackupTools.borgInit(repository, password, borgBase);
        BackupTools.borgCreate(repository, password, borgBase, "archive-2026-10", share);
        BackupTools.emptyFolder(share);
        BackupTools.borgCreate(repository, password, borgBase, "archive-2026-11", share);
        LocalChecks settings = BackupTools.checks(dir, "check.archive-retention.repository=" + repository,
                "check.archive-retention.password-file=" + password);
        Instant now = Instant.now();

        CheckResult agent = new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC))
                .run(check(CheckKind.CHECK_KIND_BORG_REPOSITORY, "archive-retention"));
        RuleVerdict rule = new ArchiveRetentionRule().evaluate(
                PracticeEvidence.onboarded("practice-1", now.minus(Duration.ofDays(1))).withCheck(new CheckEvidence(agent, now)), now);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).contains(agent.getSummary());
    }

    @Test
    void anEventWithoutSizesFromAnOlderAgentIsJudgedOnFreshnessAlone() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        CheckResult old = CheckResult.newBuilder().setCheckId("cloud-copy").setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary("latest snapshot 1a2b3c4d is 3 h old (limit 26 h)")
                .setRepository(io.rampart.protocol.agent.v1.RepositoryObservation.newBuilder().setSnapshotCount(4).setCheckPassed(true)
                        .setLatestSnapshotId("1a2b3c4d00000000000000000000000000000000000000000000000000000000")
                        .setLatestSnapshotAt(Fixtures.ts(now.minus(Duration.ofHours(3)))))
                .build();

        assertThat(cloudCopy(old, now)).isEqualTo(RuleVerdict.pass(CloudCopyRule.ID, "last cloud copy 3 h ago (limit 26 h)"));
    }

    /** A restic repository with the sample share, bound to check cloud-copy. */
    private final class Restic {
        final Path repository = dir.resolve("restic-repo");
        final Path password;
        final Path share;

        Restic() throws IOException {
            password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
            share = BackupTools.sampleData(dir);
            BackupTools.resticInit(repository, password);
        }

        CheckResult collect(Instant now) throws IOException {
            LocalChecks settings = BackupTools.checks(dir, "check.cloud-copy.repository=" + repository,
                    "check.cloud-copy.password-file=" + password);
            return new ResticRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC))
                    .run(check(CheckKind.CHECK_KIND_RESTIC_REPOSITORY, "cloud-copy"));
        }
    }

    private static RuleVerdict cloudCopy(CheckResult result, Instant now) {
        return new CloudCopyRule().evaluate(PracticeEvidence.onboarded("practice-1", now.minus(Duration.ofDays(400)))
                .withCheck(new CheckEvidence(result, now)), now);
    }

    /** The check as the reference policy sends it: 26 h, and the policy's default share of the previous snapshot (half). */
    private static CheckDefinition check(CheckKind kind, String checkId) {
        return CheckDefinition.newBuilder().setCheckId(checkId).setKind(kind)
                .setRepository(RepositorySettings.newBuilder()
                        .setMaxAge(com.google.protobuf.Duration.newBuilder().setSeconds(Duration.ofHours(26).toSeconds()))
                        .setMinSizeRatio(0.5))
                .build();
    }
}
