package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

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
