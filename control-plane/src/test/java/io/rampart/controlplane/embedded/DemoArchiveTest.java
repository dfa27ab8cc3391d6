package io.rampart.controlplane.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo archive server's monthly restore points are never dated ahead of now: before 02:00 UTC on the 1st, this
 * month's is not made yet (a file dated ahead would be a clock problem on the backup host, and the demo's archive
 * rule would fail for two hours each month, as it did in a build at 01:13 on 1 December).
 */
class DemoArchiveTest {

    @TempDir
    Path folder;

    @Test
    void beforeTwoOnTheFirstTheNewestRestorePointIsLastMonths() throws IOException {
        Instant now = Instant.parse("2026-12-01T01:13:00Z");

        DemoFolders.writeArchive(folder, now);

        assertThat(newest()).isEqualTo(Instant.parse("2026-11-01T02:00:00Z"));
        assertThat(files()).hasSize(DemoFolders.ARCHIVE_MONTHS).contains("archive-2026-11.bak", "archive-2023-10.bak")
                .doesNotContain("archive-2026-12.bak");
    }

    @Test
    void fromTwoOnTheFirstThisMonthsIsMadeAndAFileDatedAheadIsNeverLeft() throws IOException {
        Files.writeString(folder.resolve("archive-2027-01.bak"), "left by a run with a clock ahead");
        Files.writeString(folder.resolve("archive-2027-03.bak"), "left by a run with a clock ahead");

        DemoFolders.writeArchive(folder, Instant.parse("2026-12-01T02:00:00Z"));

        assertThat(newest()).isEqualTo(Instant.parse("2026-12-01T02:00:00Z"));
        assertThat(files()).hasSize(DemoFolders.ARCHIVE_MONTHS).contains("archive-2026-12.bak")
                .doesNotContain("archive-2027-01.bak", "archive-2027-03.bak");
    }

    private Instant newest() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> {
                try {
                    return Files.getLastModifiedTime(file).toInstant();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).max(Instant::compareTo).orElseThrow();
        }
    }

    private java.util.List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
