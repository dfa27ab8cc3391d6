package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.folder.Fingerprints;
import io.rampart.agent.collectors.folder.ReadBackBudget;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.ReadBack;

/**
 * Read-back of a folder without a SHA256SUMS manifest, on real files: the agent's own fingerprints in a real agent
 * home, a new collector for every run (as after a restart), time moved instead of waited for.
 */
class FolderFingerprintsTest {

    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path folder;

    @TempDir
    Path home;

    private Instant now = START;
    /** The pace's clock: reading at the budget's rate moves it instead of sleeping. */
    private final long[] paceNanos = { 0 };

    @Test
    void fingerprintsEveryBackupFileOnItsFirstReadAndPassesWithoutAManifest() throws IOException {
        backup("clinical-2026-11-23.bak", 40_000, Duration.ofDays(2), 1);
        backup("clinical-2026-11-24.bak", 40_000, Duration.ofDays(1), 2);

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        ReadBack readBack = result.getBackupFolder().getReadBack();
        assertThat(readBack.getFingerprints()).isTrue();
        assertThat(readBack.getFilesFingerprinted()).isEqualTo(2);
        assertThat(readBack.getBytesVerified()).isEqualTo(80_000);
        assertThat(readBack.getFilesAwaitingFingerprint()).isZero();
        assertThat(readBack.getUnreadableFilesList()).isEmpty();
        assertThat(result.getSummary()).contains("no SHA256SUMS manifest, so the agent checks its own SHA-256 fingerprints: read 78.1 KB")
                .contains("2 newly fingerprinted").contains("2 files fingerprinted");
        assertThat(Fingerprints.fileFor(AgentHome.at(home), "nas-copy")).exists();
    }

    @Test
    void reportsAFileWhoseBytesChangedUnderTheSameSizeAndDateAsCorruptionNamingIt() throws IOException {
        Path old = backup("clinical-2026-11-20.bak", 50_000, Duration.ofDays(5), 1);
        backup("clinical-2026-11-24.bak", 50_000, Duration.ofDays(1), 2);
        assertThat(run(check(0, 0)).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);

        // bit rot: one byte flipped in place, the size and the modification time as they were
        FileTime modified = Files.getLastModifiedTime(old);
        try (RandomAccessFile file = new RandomAccessFile(old.toFile(), "rw")) {
            file.seek(31_337);
            int b = file.read();
            file.seek(31_337);
            file.write(b ^ 0x01);
        }
        Files.setLastModifiedTime(old, modified);
        now = now.plus(Duration.ofDays(1));

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("read-back found a bad backup file: clinical-2026-11-20.bak (corrupted: its contents "
                + "changed although its size and date did not (SHA-256 differs from the fingerprint taken 2026-11-25); the disk or NAS "
                + "is damaging stored data: check its disk health (SMART, RAID scrub) and restore this file from another copy)");
        ReadBack readBack = result.getBackupFolder().getReadBack();
        assertThat(readBack.getUnreadableFilesList()).containsExactly("clinical-2026-11-20.bak");
        assertThat(readBack.getUnreadable(0).getReason()).startsWith("corrupted: ");
        assertThat(readBack.getUnreadable(0).getCorrupted()).as("carried as a kind, not read from the words").isTrue();
        assertThat(io.rampart.agent.explain.ResultWords.nextSteps(result, now)).anySatisfy(step -> assertThat(step)
                .contains("restore the file from another copy"));

        // still reported on the next run, before the rotation reaches the file again
        now = now.plus(Duration.ofHours(1));
        CheckResult next = run(check(0, 0).toBuilder().setInterval(DesiredConfiguration.toProto(Duration.ofMinutes(1)))
                .setBackupFolder(check(0.001, 0.0001).getBackupFolder()).build());
        assertThat(next.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(next.getBackupFolder().getReadBack().getUnreadableFilesList()).containsExactly("clinical-2026-11-20.bak");
    }

    @Test
    void findsOneFlippedByteInABackupBigEnoughToBeHashedByTheNativeHasher() throws IOException {
        Path big = backup("images/2026-11-20.img", (int) io.rampart.agent.collectors.folder.Sha256.NATIVE_FROM_BYTES + 4096, Duration.ofDays(5), 5);
        assertThat(run(check(0, 0)).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        FileTime modified = Files.getLastModifiedTime(big);
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.seek(300_000);
            int b = file.read();
            file.seek(300_000);
            file.write(b ^ 0x80);
        }
        Files.setLastModifiedTime(big, modified);
        now = now.plus(Duration.ofDays(1));

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("read-back found a bad backup file: images/2026-11-20.img (corrupted: ");
    }

    @Test
    void fingerprintsAgainAFileWrittenAgainWithANewDateInsteadOfCallingItCorrupt() throws IOException {
        Path rewritten = backup("latest.bak", 30_000, Duration.ofDays(1), 1);
        assertThat(run(check(0, 0)).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);

        // the backup job overwrites the same file every night: same size, other bytes, a new date
        now = now.plus(Duration.ofDays(1));
        Files.write(rewritten, randomBytes(30_000, 99));
        Files.setLastModifiedTime(rewritten, FileTime.from(now.minus(Duration.ofHours(2))));

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getFilesFingerprinted()).isEqualTo(1);
        assertThat(result.getSummary()).contains("1 newly fingerprinted, of which 1 written again since (size or date changed)");

        // and its new fingerprint is the one checked from now on
        now = now.plus(Duration.ofDays(1));
        CheckResult after = run(check(0, 0));
        assertThat(after.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(after.getBackupFolder().getReadBack().getFilesVerified()).isEqualTo(1);
    }

    @Test
    void waitsForAFileStillBeingWrittenInsteadOfFingerprintingHalfOfIt() throws IOException {
        backup("tonight.bak", 10_000, Duration.ofMinutes(1), 1);

        CheckResult result = run(check(0, 0));

        assertThat(result.getBackupFolder().getReadBack().getFilesFingerprinted()).isZero();
        assertThat(result.getBackupFolder().getReadBack().getFilesAwaitingFingerprint()).isEqualTo(1);
        assertThat(result.getSummary()).contains("1 waiting for the budget (50 MB/s, 2 hours a day) or still being written");
    }

    @Test
    void theRotationReReadsEveryFileOverTheDaysWithinTheDailyBudget() throws IOException {
        for (int i = 0; i < 10; i++) {
            backup(String.format("archive/2024-%02d.bak", i + 1), 100_000, Duration.ofDays(400 - i * 30), i);
        }
        // 1000 bytes/s for 0.0834 h: 300,240 bytes a day, three of the ten files
        CheckDefinition daily = check(0.001, 0.0834).toBuilder().setInterval(DesiredConfiguration.toProto(Duration.ofDays(1))).build();
        long budget = new ReadBackBudget(1000, 0.0834).bytesPerDay();
        Map<String, List<Instant>> reads = new HashMap<>();

        for (int day = 1; day <= 8; day++) {
            long paceBefore = paceNanos[0];
            CheckResult result = run(daily);
            ReadBack readBack = result.getBackupFolder().getReadBack();
            assertThat(readBack.getBytesVerified()).as("day " + day).isLessThanOrEqualTo(budget).isEqualTo(300_000);
            // the reading kept to 1000 bytes/s: 300,000 bytes took 300 s of the pace's time
            assertThat(paceNanos[0] - paceBefore).as("day " + day).isGreaterThanOrEqualTo(Duration.ofSeconds(299).toNanos());
            assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
            Fingerprints.load(Fingerprints.fileFor(AgentHome.at(home), "nas-copy")).all()
                    .forEach(p -> reads.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p.verifiedAt()));
            if (day == 4) {
                assertThat(readBack.getFilesAwaitingFingerprint()).isZero();
            }
            now = now.plus(Duration.ofDays(1));
        }

        assertThat(reads).hasSize(10);
        // every file fingerprinted within 4 days and read back again within the next 4: a full cycle is ceil(10 / 3) days
        reads.forEach((file, verifiedAt) -> assertThat(verifiedAt.stream().distinct().count()).as(file).isGreaterThanOrEqualTo(2));
    }

    @Test
    void catchesACutOffZipAndACutOffTarTheFirstTimeTheyAreRead() throws Exception {
        Path zip = folder.resolve("documents-2026-11-24.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("scans/0042.pdf"));
            out.write(randomBytes(200_000, 3));
            out.closeEntry();
        }
        cutOff(zip, 120_000, Duration.ofDays(1));
        Path source = Files.createDirectories(home.resolve("src"));
        Files.write(source.resolve("letters.pdf"), randomBytes(100_000, 4));
        Path tar = folder.resolve("files-2026-11-24.tar");
        tool("tar", "-cf", tar.toString(), "-C", source.toString(), "letters.pdf");
        cutOff(tar, 50_000, Duration.ofDays(1));

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("read-back found 2 bad backup files: ")
                .contains("documents-2026-11-24.zip (damaged zip archive: ")
                .contains("files-2026-11-24.tar (damaged tar archive: entry 'letters.pdf' is cut off");
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList())
                .containsExactlyInAnyOrder("documents-2026-11-24.zip", "files-2026-11-24.tar");
    }

    @Test
    void readsNothingWhileTheBackupWindowIsOpen() throws IOException {
        backup("clinical-2026-11-24.bak", 10_000, Duration.ofDays(1), 1);
        backupWindow = "10:00-14:00";

        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getBytesVerified()).isZero();
        assertThat(result.getSummary()).contains("read-back verified nothing in this run: nothing is read while the backup window (10:00-14:00) is open; "
                + "0 files fingerprinted, "
                + "1 waiting for the budget");
    }

    @Test
    void forgetsTheFingerprintOfAFileGoneFromTheFolderForAMonthButNotOfOneGoneForADay() throws IOException {
        Path gone = backup("clinical-2026-11-20.bak", 10_000, Duration.ofDays(5), 1);
        backup("clinical-2026-11-24.bak", 10_000, Duration.ofDays(1), 2);
        run(check(0, 0));
        Files.delete(gone);
        Path store = Fingerprints.fileFor(AgentHome.at(home), "nas-copy");

        now = now.plus(Duration.ofDays(1));
        run(check(0, 0));
        assertThat(Fingerprints.load(store).get("clinical-2026-11-20.bak")).get()
                .satisfies(p -> assertThat(p.missingSince()).isEqualTo(now));

        now = now.plus(Duration.ofDays(Fingerprints.KEPT_MISSING_DAYS + 1));
        run(check(0, 0));
        assertThat(Fingerprints.load(store).get("clinical-2026-11-20.bak")).isEmpty();
        assertThat(Fingerprints.load(store).size()).isEqualTo(1);
    }

    @Test
    void aManifestThatWasThereAndIsGoneFailsInsteadOfQuietlySwitchingToFingerprints() throws Exception {
        Path file = backup("clinical-2026-11-24.bak", 10_000, Duration.ofDays(1), 1);
        String sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        Files.writeString(folder.resolve("SHA256SUMS"), sum + "  clinical-2026-11-24.bak\n");
        assertThat(run(check(0, 0)).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);

        Files.delete(folder.resolve("SHA256SUMS"));
        now = now.plus(Duration.ofHours(1));
        CheckResult result = run(check(0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("the SHA256SUMS manifest this folder had (seen 2026-11-25) is gone: put it back, or if "
                + "it was removed on purpose delete ");
    }

    private String backupWindow;

    private CheckResult run(CheckDefinition check) {
        LocalChecks bindings = LocalChecks.of(Map.of("nas-copy", folder));
        if (backupWindow != null) {
            bindings = bindings.withBackupWindow(backupWindow);
        }
        return new BackupFolderCollector(AgentHome.at(home), bindings, Clock.fixed(now, ZoneOffset.UTC),
                budget -> new ReadBackBudget.Pace(budget.bytesPerSecond(), () -> paceNanos[0], nanos -> paceNanos[0] += nanos))
                .run(check);
    }

    /** A read-back check with the budget given (0: the agent's defaults), run hourly. */
    private static CheckDefinition check(double mbPerSecond, double hoursPerDay) {
        return CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setInterval(DesiredConfiguration.toProto(Duration.ofHours(1)))
                .setBackupFolder(BackupFolderSettings.newBuilder().setMinSizeBytes(1).setReadBack(true)
                        .setReadBackMbPerSecond(mbPerSecond).setReadBackHoursPerDay(hoursPerDay))
                .build();
    }

    private Path backup(String relativePath, int size, Duration age, long seed) throws IOException {
        Path file = folder.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, randomBytes(size, seed));
        Files.setLastModifiedTime(file, FileTime.from(now.minus(age)));
        return file;
    }

    private void cutOff(Path file, int keep, Duration age) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(keep);
        }
        Files.setLastModifiedTime(file, FileTime.from(now.minus(age)));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void tool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
