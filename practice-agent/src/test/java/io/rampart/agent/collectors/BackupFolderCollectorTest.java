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
        CheckResult result = new BackupFolderCollector(LocalChecks.of(Map.of()), CLOCK).run(NAS_COPY);

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
    void readBackFailsWhenTheFolderHasNoManifest() throws IOException {
        backup("clinical-2026-11-25.bak", 5000, Duration.ofHours(3));

        CheckResult result = collectorFor(folder).run(withSettings(s -> s.setReadBack(true)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).contains("holds no SHA256SUMS manifest");
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
        return new BackupFolderCollector(LocalChecks.of(Map.of("nas-copy", boundFolder)), CLOCK);
    }

    private void backup(String relativePath, int size, Duration age) throws IOException {
        Path file = folder.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
    }
}
