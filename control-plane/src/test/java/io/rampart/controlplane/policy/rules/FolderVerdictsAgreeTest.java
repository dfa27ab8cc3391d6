package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.BackupArchives;
import io.rampart.agent.collectors.BackupFolderCollector;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * The agent's folder check runs on real folders holding archives made by GNU tar and Info-ZIP (and the issue's
 * own archives), and the control plane's nas-copy and archive-retention rules judge what it reported: both reach
 * the same verdict, in the same words where the situation has words.
 */
class FolderVerdictsAgreeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path nas;

    @TempDir
    Path work;

    @Test
    void theIssuesGnuSparseTarPassesOnBothSides() throws IOException {
        archive(BackupArchives.issueInput("sparse6.tar", nas.resolve("images/2026-11-30.tar")), Duration.ofHours(3));

        CheckResult agent = nasCopy(true);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getStatus()).as(agent.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(agent.getSummary()).startsWith("newest backup images/2026-11-30.tar is 3 h old (limit 26 h)");
        assertThat(rule).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.PASS, "last NAS copy 3 h ago (limit 26 h)"));
    }

    @Test
    void theIssuesCodePageZipPassesOnBothSides() throws IOException {
        archive(BackupArchives.issueInput("cp437.zip", nas.resolve("letters/2026-11-30.zip")), Duration.ofHours(3));

        CheckResult agent = nasCopy(true);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getStatus()).as(agent.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(rule.status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void aZipEntryThatFailsItsCrcFailsOnBothSidesNamingTheEntry() throws IOException {
        BackupArchives.documents(work);
        Path zip = Files.createDirectories(nas.resolve("nas")).resolve("2026-11-29.zip");
        BackupArchives.run(work, "zip", "-q", "-r", zip.toString(), "documents");
        BackupArchives.damageTheScan(zip);
        archive(zip, Duration.ofHours(3));

        CheckResult agent = nasCopy(true);
        RuleVerdict rule = nasCopyRule(agent);

        String words = "nas/2026-11-29.zip (damaged zip archive: entry 'documents/scans/0042.pdf' fails its CRC-32)";
        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(agent.getSummary()).startsWith("unreadable: " + words);
        assertThat(rule).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.FAIL, "NAS copy unreadable: " + words));
    }

    @Test
    void aCutOffTarFailsOnBothSidesNamingTheEntry() throws IOException {
        BackupArchives.documents(work);
        Path tar = Files.createDirectories(nas.resolve("nas")).resolve("2026-11-29.tar");
        BackupArchives.run(work, "tar", "-cf", tar.toString(), "documents/scans");
        BackupArchives.cut(tar, 40_000);
        archive(tar, Duration.ofHours(3));

        CheckResult agent = nasCopy(true);
        RuleVerdict rule = nasCopyRule(agent);

        String words = "nas/2026-11-29.tar (damaged tar archive: entry 'documents/scans/0042.pdf' is cut off (the archive ends inside it))";
        assertThat(agent.getSummary()).startsWith("unreadable: " + words);
        assertThat(rule).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.FAIL, "NAS copy unreadable: " + words));
    }

    @Test
    void aFileTheAgentFingerprintedThatRotsUnderTheSameSizeAndDateFailsOnBothSidesNamingIt() throws IOException {
        // no SHA256SUMS: the agent fingerprints the backups itself on its first read
        Path old = backupFile("nas/2026-11-20.bak", NOW.minus(Duration.ofDays(10)));
        backupFile("nas/2026-11-30.bak", NOW.minus(Duration.ofHours(3)));
        assertThat(nasCopy(true).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        FileTime modified = Files.getLastModifiedTime(old);
        BackupArchives.flipByte(old, 3);
        Files.setLastModifiedTime(old, modified);

        Instant nextHour = NOW.plus(Duration.ofHours(1));
        CheckResult agent = nasCopy(true, nextHour);
        RuleVerdict rule = new NasCopyRule().evaluate(practice().withCheck(new CheckEvidence(agent, nextHour)), nextHour);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(agent.getSummary()).startsWith("read-back found a bad backup file: nas/2026-11-20.bak (corrupted: its contents changed "
                + "although its size and date did not");
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).startsWith("NAS copy unreadable: nas/2026-11-20.bak (corrupted: its contents changed although its "
                + "size and date did not (SHA-256 differs from the fingerprint taken 2026-11-30)");
    }

    @Test
    void aReadBackThatHasVerifiedNothingYetIsNotASilentPass() throws IOException {
        backupFile("nas/2026-11-30.bak", NOW.minus(Duration.ofHours(3)));
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(ProtoTime.duration(Thresholds.Freshness.DEFAULT.maxAge()))
                        .setReadBack(true))
                .build();
        // every run so far fell in the practice's backup window: nothing was read
        CheckResult agent = new BackupFolderCollector(AgentHome.at(work.resolve("agent")),
                LocalChecks.of(Map.of("nas-copy", nas)).withBackupWindow("06:00-18:00"), Clock.fixed(NOW, ZoneOffset.UTC)).run(check);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getSummary()).contains("read-back verified nothing in this run: nothing is read while the backup window");
        assertThat(rule).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.AT_RISK, "the NAS copy has not been read back yet: 1 backup "
                + "file not fingerprinted (the agent reads outside the backup window, within the check's daily read-back budget)"));
    }

    @Test
    void aReadBackThatLeftAFileUnreadForOverAMonthIsAtRisk() {
        var readBack = io.rampart.protocol.agent.v1.ReadBack.newBuilder().setFingerprints(true)
                .setOldestVerifiedAt(ProtoTime.timestamp(NOW.minus(Duration.ofDays(40)))).build();

        assertThat(Verdicts.readBackCoverage("nas-copy", "NAS copy", readBack, NOW)).get().satisfies(v -> {
            assertThat(v.status()).isEqualTo(PracticeStatus.AT_RISK);
            assertThat(v.reason()).startsWith("some NAS copy files were last read back 40 days ago: raise the check's read-back hours");
        });
        assertThat(Verdicts.readBackCoverage("nas-copy", "NAS copy", readBack.toBuilder()
                .setOldestVerifiedAt(ProtoTime.timestamp(NOW.minus(Duration.ofDays(3)))).build(), NOW)).isEmpty();
    }

    @Test
    void anEncryptedZipIsNotDamageOnEitherSide() throws IOException {
        BackupArchives.documents(work);
        Path zip = Files.createDirectories(nas.resolve("nas")).resolve("2026-11-30.zip");
        BackupArchives.run(work, "zip", "-q", "-r", "-P", "secret", zip.toString(), "documents");
        archive(zip, Duration.ofHours(3));

        CheckResult agent = nasCopy(true);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getStatus()).as(agent.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(agent.getSummary()).contains("could not verify the contents of nas/2026-11-30.zip: entry ");
        assertThat(rule).isEqualTo(new RuleVerdict("nas-copy", PracticeStatus.PASS, "last NAS copy 3 h ago (limit 26 h)"));
    }

    @Test
    void aFileTouchedToNextYearIsNotFreshOnEitherSide() throws IOException {
        backupFile("nas/2026-11-27.bak", NOW.minus(Duration.ofDays(3)));
        Path touched = backupFile("nas/touched.bak", NOW);
        // as the issue did it ("touch -d 'next year'"), a year after this test's clock
        BackupArchives.run(nas, "touch", "-d", NOW.plus(Duration.ofDays(365)).toString(), touched.toString());

        CheckResult agent = nasCopy(false);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(agent.getSummary()).startsWith("newest backup nas/2026-11-27.bak is 3 days old (limit 26 h); "
                + "clock problem on the backup host: nas/touched.bak is dated ");
        assertThat(agent.getFutureDatedList()).extracting(i -> i.getName()).containsExactly("nas/touched.bak");
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).startsWith("last NAS copy 3 days ago (limit 26 h)")
                .contains("clock problem on the backup host: nas/touched.bak is dated ").contains("365 days ahead");
    }

    @Test
    void aFutureDatedFileNextToFreshBackupsIsAClockProblemOnBothSides() throws IOException {
        backupFile("nas/2026-11-30.bak", NOW.minus(Duration.ofHours(3)));
        backupFile("nas/touched.bak", NOW.plus(Duration.ofDays(365)));

        CheckResult agent = nasCopy(false);
        RuleVerdict rule = nasCopyRule(agent);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(agent.getSummary()).startsWith("clock problem on the backup host: nas/touched.bak is dated 2027-11-30T12:00:00Z");
        // the agent warns, the rule is at risk: the backups are fresh, the backup host's clock needs a person
        assertThat(rule.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(rule.reason()).isEqualTo("last NAS copy 3 h ago (limit 26 h); clock problem on the backup host: nas/touched.bak is dated "
                + "30 Nov 2027, 365 days ahead; not counted as fresh");
    }

    @Test
    void aFileDatedNineteenSeventyIsNotFiftySixYearsOfRestorePointsOnEitherSide() throws IOException {
        backupFile("archive/2026-01-05.bak", Instant.parse("2026-01-05T02:00:00Z"));
        for (int month = 2; month <= 11; month++) {
            backupFile("archive/2026-%02d-05.bak".formatted(month), Instant.parse("2026-%02d-05T02:00:00Z".formatted(month)));
        }
        backupFile("archive/2026-11-29.bak", NOW.minus(Duration.ofDays(1)));
        backupFile("archive/lost-clock.bak", Instant.EPOCH);
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("archive-retention").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setBackupFolder(BackupFolderSettings.newBuilder().setMinHistory(ProtoTime.duration(Duration.ofDays(3 * 365))))
                .build();

        CheckResult agent = new BackupFolderCollector(AgentHome.at(work.resolve("agent")), LocalChecks.of(Map.of("archive-retention", nas)),
                Clock.fixed(NOW, ZoneOffset.UTC))
                .run(check);
        RuleVerdict rule = new ArchiveRetentionRule().evaluate(practice().withCheck(new CheckEvidence(agent, NOW)), NOW);

        assertThat(agent.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(agent.getSummary()).startsWith("restore points go back 11 months; the archive rule needs 3 years; "
                + "clock problem on the backup host: archive/lost-clock.bak is dated 1970-01-01T00:00:00Z");
        assertThat(rule.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(rule.reason()).startsWith("oldest restore point from " + Texts.date(Instant.parse("2026-01-05T02:00:00Z")));
    }

    private CheckResult nasCopy(boolean readBack) {
        return nasCopy(readBack, NOW);
    }

    private CheckResult nasCopy(boolean readBack, Instant now) {
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setBackupFolder(BackupFolderSettings.newBuilder()
                        .setMaxAge(ProtoTime.duration(Thresholds.Freshness.DEFAULT.maxAge()))
                        .setReadBack(readBack))
                .build();
        return new BackupFolderCollector(AgentHome.at(work.resolve("agent")), LocalChecks.of(Map.of("nas-copy", nas)),
                Clock.fixed(now, ZoneOffset.UTC)).run(check);
    }

    private static RuleVerdict nasCopyRule(CheckResult agent) {
        return new NasCopyRule().evaluate(practice().withCheck(new CheckEvidence(agent, NOW)), NOW);
    }

    private static PracticeEvidence practice() {
        return PracticeEvidence.onboarded("practice-1", NOW.minus(Duration.ofDays(5 * 365)));
    }

    /** Dates the archive {@code age} ago and lists it in SHA256SUMS as sha256sum writes it. */
    private void archive(Path file, Duration age) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        String relative = nas.relativize(file).toString();
        Files.writeString(nas.resolve("SHA256SUMS"), sha256(file) + "  " + relative + "\n", StandardCharsets.UTF_8);
    }

    private Path backupFile(String relative, Instant modified) throws IOException {
        Path file = Files.createDirectories(nas.resolve(relative).getParent()).resolve(nas.resolve(relative).getFileName());
        Files.writeString(file, "backup of " + relative);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
