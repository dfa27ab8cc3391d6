package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.folder.ReadBackBudget;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * PostgreSQL custom-format dumps in a folder without a manifest, opened with the real pg_restore 15 (Debian's
 * postgresql-client). The dump is a real {@code pg_dump -Fc} of a PostgreSQL 15 database (see
 * src/test/resources/dumps/README).
 */
class FolderFingerprintsDumpTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path folder;

    @TempDir
    Path home;

    @Test
    void opensAnIntactCustomDumpWithPgRestoreAndPasses() throws IOException {
        dump("clinical-2026-11-24.dump");

        CheckResult result = run();

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("1 newly fingerprinted, 0 re-read and unchanged, 1 archive or dump opened");
    }

    @Test
    void catchesACustomDumpCutOffInItsDataThatPgRestoreListStillLists() throws IOException {
        Path dump = dump("clinical-2026-11-24.dump");
        cutOff(dump, Files.size(dump) * 6 / 10);

        CheckResult result = run();

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("read-back found a bad backup file: clinical-2026-11-24.dump (damaged PostgreSQL "
                + "custom dump: pg_restore cannot read its data: ");
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).containsExactly("clinical-2026-11-24.dump");
    }

    @Test
    void catchesACustomDumpWhoseTableOfContentsIsCutOff() throws IOException {
        Path dump = dump("clinical.backup");
        cutOff(dump, 200);

        CheckResult result = run();

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("read-back found a bad backup file: clinical.backup (damaged PostgreSQL custom dump: "
                + "pg_restore --list cannot read its table of contents: ");
    }

    @Test
    void opensACustomDumpListedInASha256sumsManifestToo() throws Exception {
        Path dump = dump("clinical-2026-11-24.dump");
        cutOff(dump, Files.size(dump) * 6 / 10);
        // the manifest was written after the copy was cut off: the checksum matches, only opening the dump tells
        String sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dump)));
        Files.writeString(folder.resolve("SHA256SUMS"), sum + "  clinical-2026-11-24.dump\n");

        CheckResult result = run();

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("unreadable: clinical-2026-11-24.dump (damaged PostgreSQL custom dump: "
                + "pg_restore cannot read its data: ");
    }

    @Test
    void aDumpFromANewerPostgresqlThatPgRestore15CannotReadIsNotVerifiedNeverDamaged() throws IOException {
        Path dump = dump("clinical-2026-11-24.dump");
        newerArchiveVersion(dump);

        CheckResult result = run();

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).isEmpty();
        assertThat(result.getBackupFolder().getReadBack().getNotVerifiedList()).singleElement().asString()
                .startsWith("clinical-2026-11-24.dump: pg_restore 15 cannot read this dump's archive format 1.16 (written by pg_dump 17 or newer)")
                .contains("install the postgresql-client of the database's version or newer").contains("check.<id>.pg-restore=");
        assertThat(result.getSummary()).doesNotContain("damaged").doesNotContain("dump opened").contains("could not verify the contents of");
    }

    @Test
    void aDumpFromANewerPostgresqlListedInAManifestStillPassesAsOnMain() throws Exception {
        Path dump = dump("clinical-2026-11-24.dump");
        newerArchiveVersion(dump);
        String sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dump)));
        Files.writeString(folder.resolve("SHA256SUMS"), sum + "  clinical-2026-11-24.dump\n");

        CheckResult result = run();

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getUnreadableFilesList()).isEmpty();
        assertThat(result.getSummary()).doesNotContain("damaged").contains("pg_restore 15 cannot read this dump's archive format 1.16");
    }

    @Test
    void aMissingPgRestoreLeavesTheDumpNotVerifiedWithWhatToInstall() throws IOException {
        dump("clinical-2026-11-24.dump");
        Path settings = home.resolve("checks.properties");
        Files.writeString(settings, "check.nas-copy.path=" + folder + "\ncheck.nas-copy.pg-restore=/nonexistent/pg_restore\n");

        CheckResult result = run(LocalChecks.read(settings));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getBackupFolder().getReadBack().getNotVerifiedList()).singleElement().asString()
                .contains("/nonexistent/pg_restore is not installed (Debian: apt install postgresql-client");
    }

    /** Header byte 6 is the archive format's minor version: 14 from pg_dump 12-15, 16 from pg_dump 17. */
    private void newerArchiveVersion(Path dump) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
            f.seek(6);
            assertThat(f.read()).isEqualTo(14);
            f.seek(6);
            f.write(16);
        }
        Files.setLastModifiedTime(dump, FileTime.from(NOW.minus(Duration.ofHours(20))));
    }

    private CheckResult run() {
        return run(LocalChecks.of(Map.of("nas-copy", folder)));
    }

    private CheckResult run(LocalChecks bindings) {
        CheckDefinition check = CheckDefinition.newBuilder().setCheckId("nas-copy").setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                .setInterval(DesiredConfiguration.toProto(Duration.ofHours(1)))
                .setBackupFolder(BackupFolderSettings.newBuilder().setMinSizeBytes(1).setReadBack(true)).build();
        return new BackupFolderCollector(AgentHome.at(home), bindings, Clock.fixed(NOW, ZoneOffset.UTC),
                budget -> new ReadBackBudget.Pace(budget.bytesPerSecond(), System::nanoTime, nanos -> {})).run(check);
    }

    private Path dump(String name) throws IOException {
        Path file = folder.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/dumps/clinical.dump")) {
            Files.copy(in, file);
        }
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(20))));
        return file;
    }

    private void cutOff(Path file, long keep) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(keep);
        }
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(20))));
    }
}
