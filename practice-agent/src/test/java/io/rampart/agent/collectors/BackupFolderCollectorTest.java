package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.ReadBack;

class BackupFolderCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final CheckDefinition NAS_COPY = CheckDefinition.newBuilder()
            .setCheckId("nas-copy")
            .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
            .setBackupFolder(BackupFolderSettings.newBuilder()
                    .setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))
                    .setMinSizeBytes(1))
            .build();

    @TempDir
    Path folder;

    @TempDir
    Path scratch;

    @TempDir
    Path home;

    @Test
    void passesWhenTheNewestBackupIsFreshAndNotEmpty() throws IOException {
        backup("nas/2026-11-24.bak", 2048, Duration.ofHours(30));
        backup("nas/2026-11-25.bak", 4096, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getCheckId()).isEqualTo("nas-copy");
        assertThat(result.getSummary()).startsWith("newest backup nas/2026-11-25.bak is 3 h old (limit 26 h)");
        assertThat(result.getBackupFolder().getFileCount()).isEqualTo(2);
        assertThat(result.getBackupFolder().getTotalSizeBytes()).isEqualTo(6144);
        assertThat(result.getBackupFolder().getNewestFile()).isEqualTo("nas/2026-11-25.bak");
        assertThat(result.getBackupFolder().getNewestSizeBytes()).isEqualTo(4096);
        assertThat(result.getBackupFolder().getNewestModifiedAt().getSeconds())
                .isEqualTo(NOW.minus(Duration.ofHours(3)).getEpochSecond());
    }

    @Test
    void failsNamingTheAgeWhenTheNewestBackupIsTooOld() throws IOException {
        backup("nas/2026-11-24.bak", 2048, Duration.ofHours(31));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("newest backup nas/2026-11-24.bak is 31 h old (limit 26 h)");
    }

    @Test
    void failsWhenTheNewestBackupIsAnEmptyFile() throws IOException {
        backup("older.bak", 2048, Duration.ofHours(20));
        backup("newest.bak", 0, Duration.ofHours(1));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("newest backup newest.bak is 0 bytes (at least 1 byte expected)");
    }

    @Test
    void failsWhenTheFolderHoldsNoBackupFiles() throws IOException {
        backup(".hidden-partial.bak", 2048, Duration.ofHours(1));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("no backup files in the folder set in check.nas-copy.path");
        assertThat(result.getBackupFolder().getFileCount()).isZero();
    }

    @Test
    void ignoresHiddenFilesAndTheAgentsOwnTempFiles() throws IOException {
        backup("real.bak", 100, Duration.ofHours(10));
        backup(".DS_Store", 100, Duration.ofMinutes(1));
        backup(".snapshot/fresh.bak", 100, Duration.ofMinutes(1));
        backup(".x.rampart-tmp", 100, Duration.ofMinutes(1));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getBackupFolder().getFileCount()).isEqualTo(1);
        assertThat(result.getBackupFolder().getNewestFile()).isEqualTo("real.bak");
    }

    @Test
    void errorsWhenTheBoundFolderIsMissing() {
        CheckResult result = collectorFor(folder.resolve("usb-drive-not-plugged-in")).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("check.nas-copy.path").contains("does not exist")
                .doesNotContain(folder.toString());
    }

    @Test
    void errorsNamingThePropertyToSetWhenTheCheckHasNoLocalBinding() {
        CheckResult result = new BackupFolderCollector(AgentHome.at(home), LocalChecks.of(Map.of()), CLOCK).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.nas-copy.path=<folder> in checks.properties");
    }

    @Test
    void reportsTheOldestBackupAndTheSizeOfTheOneBeforeTheNewest() throws IOException {
        backup("2026-01-01.bak", 1000, Duration.ofDays(328));
        backup("2026-11-24.bak", 2000, Duration.ofHours(27));
        backup("2026-11-25.bak", 2100, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getOldestFile()).isEqualTo("2026-01-01.bak");
        assertThat(result.getBackupFolder().getOldestModifiedAt().getSeconds())
                .isEqualTo(NOW.minus(Duration.ofDays(328)).getEpochSecond());
        assertThat(result.getBackupFolder().getPreviousSizeBytes()).isEqualTo(2000);
    }

    @Test
    void failsWhenRestorePointsDoNotGoBackAsFarAsTheArchiveRuleNeeds() throws IOException {
        backup("2025-09-25.bak", 1000, Duration.ofDays(426));
        backup("2026-11-25.bak", 1000, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinHistory(years(3))));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("restore points go back 14 months; the archive rule needs 3 years");
    }

    @Test
    void passesWhenRestorePointsGoBackFarEnough() throws IOException {
        backup("2023-06-01.bak", 1000, Duration.ofDays(1270));
        backup("2026-11-25.bak", 1000, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinHistory(years(3))));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("restore points go back 3 years 6 months (the archive rule needs 3 years)");
    }

    @Test
    void failsWhenTheNewestBackupIsUnderTheRequiredShareOfThePreviousOne() throws IOException {
        backup("2026-11-24.bak", 2100, Duration.ofHours(27));
        backup("2026-11-25.bak", 120, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinSizeRatio(0.5)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary())
                .isEqualTo("newest backup 2026-11-25.bak is 120 bytes, under half of the previous 2.1 KB (2026-11-24.bak)");
        assertThat(result.getBackupFolder().getPreviousSizeBytes()).isEqualTo(2100);
    }

    @Test
    void passesWhenTheNewestBackupIsSomewhatSmallerButAboveTheRatio() throws IOException {
        backup("2026-11-24.bak", 2100, Duration.ofHours(27));
        backup("2026-11-25.bak", 1900, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinSizeRatio(0.5)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
    }

    @Test
    void readBackPassesWhenEveryFileMatchesTheManifest() throws Exception {
        backup("clinical-2026-11-24.bak", 5000, Duration.ofHours(27));
        backup("xray/2026-11-25.bak", 7000, Duration.ofHours(3));
        manifest("clinical-2026-11-24.bak", "xray/2026-11-25.bak");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        ReadBack readBack = result.getBackupFolder().getReadBack();
        assertThat(readBack.getFilesVerified()).isEqualTo(2);
        assertThat(readBack.getBytesVerified()).isEqualTo(12000);
        assertThat(readBack.getUnreadableFilesList()).isEmpty();
        assertThat(readBack.getUnlistedFilesList()).isEmpty();
        assertThat(readBack.hasDuration()).isTrue();
        assertThat(result.getSummary()).contains("read back 2 files (11.7 KB) against SHA256SUMS");
        // the manifest is not a backup
        assertThat(result.getBackupFolder().getFileCount()).isEqualTo(2);
    }

    @Test
    void readBackFailsNamingAFileWithOneByteFlipped() throws Exception {
        backup("clinical-2026-11-20.bak", 5000, Duration.ofHours(100));
        backup("clinical-2026-11-25.bak", 5000, Duration.ofHours(3));
        manifest("clinical-2026-11-20.bak", "clinical-2026-11-25.bak");
        flipOneByte("clinical-2026-11-20.bak", 4321);

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: clinical-2026-11-20.bak (checksum mismatch)");
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).containsExactly("clinical-2026-11-20.bak");
        assertThat(result.getBackupFolder().getReadBack().getFilesVerified()).isEqualTo(1);
    }

    @Test
    void readBackFailsWhenAListedFileIsMissing() throws Exception {
        backup("clinical-2026-11-25.bak", 5000, Duration.ofHours(3));
        manifest("clinical-2026-11-25.bak");
        Files.writeString(folder.resolve("SHA256SUMS"), "0".repeat(64) + "  clinical-2026-11-24.bak\n", StandardOpenOption.APPEND);

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: clinical-2026-11-24.bak (missing)");
    }

    @Test
    void readBackTreatsACutOffZipAsUnreadableEvenWhenItsChecksumMatches() throws Exception {
        byte[] zip = zipOf(Map.of("patients.csv", randomBytes(20_000, 1), "images/scan.dcm", randomBytes(30_000, 2)));
        write("documents-2026-11-25.zip", Arrays.copyOf(zip, zip.length - 100), Duration.ofHours(3));
        manifest("documents-2026-11-25.zip");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: documents-2026-11-25.zip (damaged zip archive:");
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).containsExactly("documents-2026-11-25.zip");
    }

    @Test
    void readBackFailsAZipWhoseEntryDataIsDamaged() throws Exception {
        byte[] zip = zipOf(Map.of("patients.csv", randomBytes(20_000, 1)));
        zip[200] ^= 0x5a;
        write("documents-2026-11-25.zip", zip, Duration.ofHours(3));
        manifest("documents-2026-11-25.zip");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: documents-2026-11-25.zip (damaged zip archive:");
    }

    @Test
    void readBackOpensZipAndTarGzArchivesMadeByTheRealTools() throws Exception {
        write("documents-2026-11-24.zip", zipOf(Map.of("a.txt", randomBytes(1000, 3), "b.txt", randomBytes(2000, 4))),
                Duration.ofHours(27));
        Path source = scratch;
        Files.write(source.resolve("db.sql"), randomBytes(50_000, 5));
        Files.createDirectories(source.resolve("images"));
        Files.write(source.resolve("images/scan.dcm"), randomBytes(70_000, 6));
        run("tar", "-czf", folder.resolve("files-2026-11-25.tar.gz").toString(), "-C", source.toString(), ".");
        run("tar", "-cf", folder.resolve("files-2026-11-25.tar").toString(), "-C", source.toString(), ".");
        Files.setLastModifiedTime(folder.resolve("files-2026-11-25.tar.gz"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        Files.setLastModifiedTime(folder.resolve("files-2026-11-25.tar"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        manifest("documents-2026-11-24.zip", "files-2026-11-25.tar.gz", "files-2026-11-25.tar");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getFilesVerified()).isEqualTo(3);
        // zip: 2 entries; each tar: ./, ./db.sql, ./images/, ./images/scan.dcm
        assertThat(result.getSummary()).contains("3 archives opened (10 entries)");
    }

    @Test
    void readBackOpensTarBz2AndTarXzArchives() throws Exception {
        Files.write(scratch.resolve("db.sql"), randomBytes(50_000, 5));
        run("tar", "-cjf", folder.resolve("files-2026-11-25.tar.bz2").toString(), "-C", scratch.toString(), "db.sql");
        run("tar", "-cJf", folder.resolve("files-2026-11-24.tar.xz").toString(), "-C", scratch.toString(), "db.sql");
        Files.setLastModifiedTime(folder.resolve("files-2026-11-25.tar.bz2"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        Files.setLastModifiedTime(folder.resolve("files-2026-11-24.tar.xz"), FileTime.from(NOW.minus(Duration.ofHours(27))));
        manifest("files-2026-11-25.tar.bz2", "files-2026-11-24.tar.xz");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("2 archives opened (2 entries)");
    }

    @Test
    void readBackTreatsACutOffTarGzAsUnreadable() throws Exception {
        Path source = scratch;
        Files.write(source.resolve("db.sql"), randomBytes(200_000, 7));
        Path full = source.resolve("full.tar.gz");
        run("tar", "-czf", full.toString(), "-C", source.toString(), "db.sql");
        byte[] bytes = Files.readAllBytes(full);
        write("files-2026-11-25.tar.gz", Arrays.copyOf(bytes, bytes.length / 2), Duration.ofHours(3));
        manifest("files-2026-11-25.tar.gz");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: files-2026-11-25.tar.gz (damaged tar.gz archive:");
    }

    @Test
    void readBackReportsFilesMissingFromTheManifestWithoutFailing() throws Exception {
        backup("clinical-2026-11-24.bak", 5000, Duration.ofHours(27));
        manifest("clinical-2026-11-24.bak");
        backup("clinical-2026-11-25.bak", 5000, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getUnlistedFilesList()).containsExactly("clinical-2026-11-25.bak");
        assertThat(result.getSummary()).contains("1 not in the manifest (not verified): clinical-2026-11-25.bak");
    }

    @Test
    void readBackWithoutAManifestChecksTheAgentsOwnFingerprintsInstead() throws IOException {
        backup("clinical-2026-11-25.bak", 5000, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("no SHA256SUMS manifest, so the agent checks its own SHA-256 fingerprints");
        assertThat(result.getBackupFolder().getReadBack().getFingerprints()).isTrue();
    }

    @Test
    void readBackAcceptsAManifestWrittenByTheRealSha256sum() throws Exception {
        backup("clinical-2026-11-24.bak", 5000, Duration.ofHours(27));
        backup("sub/clinical-2026-11-25.bak", 6000, Duration.ofHours(3));
        String sums = run(folder, "sha256sum", "--binary", "./clinical-2026-11-24.bak", "sub/clinical-2026-11-25.bak");
        Files.writeString(folder.resolve("SHA256SUMS"), sums);

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getFilesVerified()).isEqualTo(2);
        assertThat(result.getBackupFolder().getReadBack().getUnlistedFilesList()).isEmpty();
    }

    @Test
    void readBackPassesTheGnuSparseTarThatGnuTarExtractsByteIdentical() throws Exception {
        BackupArchives.issueInput("sparse6.tar", folder.resolve("images/sparse6.tar"));
        Files.setLastModifiedTime(folder.resolve("images/sparse6.tar"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        manifest("images/sparse6.tar");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("read back 1 file (30.0 KB) against SHA256SUMS")
                .contains(", 1 archive opened (1 entry)").doesNotContain("damaged");
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).isEmpty();
    }

    @Test
    void readBackPassesTheZipWhoseNameIsInCodePage437() throws Exception {
        BackupArchives.issueInput("cp437.zip", folder.resolve("letters/cp437.zip"));
        Files.setLastModifiedTime(folder.resolve("letters/cp437.zip"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        manifest("letters/cp437.zip");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains(", 1 archive opened (2 entries)").doesNotContain("invalid CEN header");
    }

    @Test
    void readBackFailsNamingTheZipEntryThatFailsItsCrc() throws Exception {
        BackupArchives.documents(scratch);
        Files.createDirectories(folder.resolve("nas"));
        BackupArchives.run(scratch, "zip", "-q", "-r", folder.resolve("nas/2026-11-29.zip").toString(), "documents");
        BackupArchives.damageTheScan(folder.resolve("nas/2026-11-29.zip"));
        Files.setLastModifiedTime(folder.resolve("nas/2026-11-29.zip"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        // the manifest was written after the damage (the backup job wrote a bad archive): only opening it tells
        manifest("nas/2026-11-29.zip");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: nas/2026-11-29.zip (damaged zip archive: "
                + "entry 'documents/scans/0042.pdf' fails its CRC-32)");
        ReadBack readBack = result.getBackupFolder().getReadBack();
        assertThat(readBack.getUnreadableFilesList()).containsExactly("nas/2026-11-29.zip");
        assertThat(readBack.getUnreadable(0).getReason()).isEqualTo("damaged zip archive: entry 'documents/scans/0042.pdf' fails its CRC-32");
    }

    @Test
    void readBackNamesTheDamagedEntryAlsoWhenTheChecksumDiffers() throws Exception {
        BackupArchives.documents(scratch);
        Files.createDirectories(folder.resolve("nas"));
        BackupArchives.run(scratch, "tar", "-cf", folder.resolve("nas/2026-11-29.tar").toString(), "documents");
        Files.setLastModifiedTime(folder.resolve("nas/2026-11-29.tar"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        manifest("nas/2026-11-29.tar");
        BackupArchives.cut(folder.resolve("nas/2026-11-29.tar"), 40_000);

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: nas/2026-11-29.tar (checksum mismatch; damaged tar archive: "
                + "entry 'documents/scans/0042.pdf' is cut off (the archive ends inside it))");
    }

    @Test
    void readBackPassesAnEncryptedZipSayingWhatCouldNotBeVerifiedAndWhy() throws Exception {
        BackupArchives.documents(scratch);
        Files.createDirectories(folder.resolve("nas"));
        BackupArchives.run(scratch, "zip", "-q", "-r", "-P", "secret", folder.resolve("nas/2026-11-29.zip").toString(), "documents/scans");
        Files.setLastModifiedTime(folder.resolve("nas/2026-11-29.zip"), FileTime.from(NOW.minus(Duration.ofHours(3))));
        manifest("nas/2026-11-29.zip");

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).endsWith("; could not verify the contents of nas/2026-11-29.zip: entry "
                + "'documents/scans/0042.pdf' is encrypted: its CRC-32 can only be checked with the password");
        assertThat(result.getBackupFolder().getReadBack().getNotVerifiedList()).hasSize(1);
    }

    @Test
    void aFileTouchedToNextYearIsAClockProblemNotTheNewestBackup() throws IOException {
        backup("nas/2026-11-21.bak", 4000, Duration.ofDays(4));
        backup("nas/2026-11-22.bak", 4100, Duration.ofDays(3));
        Path touched = folder.resolve("nas/touched.bak");
        Files.write(touched, new byte[100]);
        Instant nextYear = NOW.plus(Duration.ofDays(365));
        Files.setLastModifiedTime(touched, FileTime.from(nextYear));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinSizeRatio(0.5)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("newest backup nas/2026-11-22.bak is 3 days old (limit 26 h); "
                + FutureDates.describe("nas/touched.bak", nextYear, NOW));
        assertThat(result.getBackupFolder().getNewestFile()).isEqualTo("nas/2026-11-22.bak");
        // the size baseline is the backup before the newest real one, not the future-dated file
        assertThat(result.getBackupFolder().getPreviousSizeBytes()).isEqualTo(4000);
        assertThat(result.getFutureDatedList()).containsExactly(FutureDates.item("nas/touched.bak", nextYear, NOW));
    }

    @Test
    void warnsOfAFutureDatedFileWhenTheRealBackupsAreFresh() throws IOException {
        backup("nas/2026-11-25.bak", 4100, Duration.ofHours(3));
        Path ahead = folder.resolve("nas/2026-12-25.bak");
        Files.write(ahead, new byte[100]);
        Instant aMonthAhead = NOW.plus(Duration.ofDays(30));
        Files.setLastModifiedTime(ahead, FileTime.from(aMonthAhead));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).startsWith(FutureDates.describe("nas/2026-12-25.bak", aMonthAhead, NOW)
                + "; newest backup nas/2026-11-25.bak is 3 h old (limit 26 h)");
        assertThat(result.getFutureDatedCount()).isEqualTo(1);
    }

    @Test
    void aFileDatedWithinTheToleranceIsNotAClockProblem() throws IOException {
        backup("nas/2026-11-25.bak", 4100, Duration.ofHours(3));
        Path almostNow = folder.resolve("nas/just-written.bak");
        Files.write(almostNow, new byte[100]);
        Files.setLastModifiedTime(almostNow, FileTime.from(NOW.plus(FutureDates.TOLERANCE)));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getNewestFile()).isEqualTo("nas/just-written.bak");
        assertThat(result.getFutureDatedList()).isEmpty();
    }

    @Test
    void failsWhenEveryBackupIsDatedInTheFuture() throws IOException {
        Path ahead = Files.createDirectories(folder.resolve("nas")).resolve("2027-11-25.bak");
        Files.write(ahead, new byte[100]);
        Instant nextYear = NOW.plus(Duration.ofDays(365));
        Files.setLastModifiedTime(ahead, FileTime.from(nextYear));

        CheckResult result = collectorFor(folder).run(NAS_COPY);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("no backup file in the folder set in check.nas-copy.path carries a date "
                + "this computer can trust; " + FutureDates.describe("nas/2027-11-25.bak", nextYear, NOW));
        assertThat(result.getBackupFolder().getNewestFile()).isEmpty();
    }

    @Test
    void aFileDatedBefore1980IsAClockProblemNotFiftySixYearsOfRestorePoints() throws IOException {
        backup("archive/2026-01-01.bak", 1000, Duration.ofDays(328));
        backup("archive/2026-11-25.bak", 1000, Duration.ofHours(3));
        Path lostClock = folder.resolve("archive/reset.bak");
        Files.write(lostClock, new byte[100]);
        Files.setLastModifiedTime(lostClock, FileTime.from(Instant.EPOCH));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setMinHistory(years(3))));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("restore points go back 11 months; the archive rule needs 3 years; "
                + "clock problem on the backup host: archive/reset.bak is dated 1970-01-01T00:00:00Z, "
                + "before any backup could have been made (not counted as a restore point)");
        assertThat(result.getBackupFolder().getOldestFile()).isEqualTo("archive/2026-01-01.bak");
    }

    private static com.google.protobuf.Duration years(int years) {
        return DesiredConfiguration.toProto(Duration.ofDays(365L * years));
    }

    private static CheckDefinition withSettings(java.util.function.Consumer<BackupFolderSettings.Builder> change) {
        BackupFolderSettings.Builder settings = NAS_COPY.getBackupFolder().toBuilder();
        change.accept(settings);
        return NAS_COPY.toBuilder().setBackupFolder(settings).build();
    }

    /** Writes SHA256SUMS as sha256sum does, for the files as they are now. */
    private void manifest(String... relativePaths) throws Exception {
        StringBuilder sums = new StringBuilder();
        for (String relative : relativePaths) {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(folder.resolve(relative)));
            sums.append(HexFormat.of().formatHex(hash)).append("  ").append(relative).append('\n');
        }
        Files.writeString(folder.resolve("SHA256SUMS"), sums);
    }

    private void flipOneByte(String relativePath, int offset) throws IOException {
        Path file = folder.resolve(relativePath);
        FileTime modified = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x01;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, modified);
    }

    private void write(String relativePath, byte[] content, Duration age) throws IOException {
        Path file = folder.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
    }

    private static byte[] zipOf(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Incompressible, so that a cut or a flipped byte lands in entry data. */
    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String run(String... command) throws Exception {
        return run(null, command);
    }

    private static String run(Path directory, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private BackupFolderCollector collectorFor(Path boundFolder) {
        return new BackupFolderCollector(AgentHome.at(home), LocalChecks.of(Map.of("nas-copy", boundFolder)), CLOCK);
    }

    private void backup(String relativePath, int size, Duration age) throws IOException {
        Path file = folder.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
    }
}
