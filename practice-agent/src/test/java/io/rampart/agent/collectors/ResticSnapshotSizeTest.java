package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * Empty, shrunk and future-dated restic snapshots, made by the real restic the way a practice's nightly job makes
 * them: the same folder backed up each night, emptied when its share is not mounted.
 */
class ResticSnapshotSizeTest {

    static final DateTimeFormatter RESTIC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path share;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("repo");
        passwordFile = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        share = BackupTools.sampleData(dir);
        BackupTools.resticInit(repository, passwordFile);
    }

    @Test
    void failsWhenTheLatestSnapshotIsOfAShareThatWasNotMounted() throws IOException {
        String full = BackupTools.resticBackup(repository, passwordFile, share);
        BackupTools.emptyFolder(share);
        String empty = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        // restic 0.14 stats counts the (now empty) shared folder itself
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + empty + " is empty: 0 bytes (only folders or empty files), where the previous "
                + full + " held 97.7 KB in 7 files and folders; check that the folder or share it backs up is mounted");
        assertThat(result.getRepository().getLatestSizeBytes()).isZero();
        assertThat(result.getRepository().getPreviousSizeBytes()).isEqualTo(BackupTools.SAMPLE_BYTES);
        assertThat(result.getRepository().getPreviousFileCount()).isEqualTo(7);
        assertThat(result.getRepository().getPreviousSnapshotId()).startsWith(full);
        assertThat(result.getRepository().getFileCountIncludesFolders()).isTrue();
        assertThat(result.getRepository().getMinSizeRatio()).isEqualTo(0.5);
    }

    @Test
    void failsWhenTheVeryFirstSnapshotIsEmpty() throws IOException {
        BackupTools.emptyFolder(share);
        String empty = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + empty + " is empty: 0 bytes (only folders or empty files); "
                + "check that the folder or share it backs up is mounted");
        assertThat(result.getRepository().hasPreviousSizeBytes()).isFalse();
        assertThat(result.getRepository().getPreviousSnapshotId()).isEmpty();
    }

    @Test
    void failsWhenMostFilesAreGoneThoughTheBytesBarelyChanged() throws IOException {
        for (int i = 0; i < 8; i++) {
            Files.writeString(share.resolve("letter-" + i + ".txt"), "x");
        }
        String before = BackupTools.resticBackup(repository, passwordFile, share);
        for (int i = 0; i < 8; i++) {
            Files.delete(share.resolve("letter-" + i + ".txt"));
        }
        String after = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + after + " holds 97.7 KB in 7 files and folders, under half of the previous "
                + before + " (97.7 KB in 15 files and folders)");
    }

    @Test
    void failsWhenTheSnapshotIsUnderHalfTheBytesOfThePrevious() throws IOException {
        String before = BackupTools.resticBackup(repository, passwordFile, share);
        Files.write(share.resolve("xrays/0001.dcm"), new byte[10_000]);
        String after = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + after + " holds 9.8 KB in 7 files and folders, under half of the previous "
                + before + " (97.7 KB in 7 files and folders)");
    }

    @Test
    void failsWhenTheSnapshotIsSmallerThanThePolicyMinimum() throws IOException {
        String only = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(1024 * 1024, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + only + " holds only 97.7 KB in 7 files and folders (at least 1.0 MB expected)");
    }

    @Test
    void passesAFirstSnapshotOnItsOwnSizeAndSaysSo() throws IOException {
        String only = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("latest snapshot " + only + " is ")
                .contains("; it holds 97.7 KB in 7 files and folders (the first snapshot, nothing to compare with); 1 snapshot back to ");
        assertThat(result.getRepository().getLatestFileCount()).isEqualTo(7);
        assertThat(result.getRepository().getLatestSizeBytes()).isEqualTo(BackupTools.SAMPLE_BYTES);
    }

    @Test
    void comparesWithThePreviousSnapshotOfTheSamePathsNotOfAnotherFolder() throws IOException {
        String nightly = BackupTools.resticBackup(repository, passwordFile, share);
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        String weekly = BackupTools.resticBackup(repository, passwordFile, etc);

        CheckResult small = collector().run(check(0, 0.5));

        assertThat(small.getStatus()).as(small.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(small.getSummary()).contains("latest snapshot " + weekly + " is ")
                .contains("; it holds 20 bytes in 4 files and folders (no earlier snapshot of the same paths to compare with); ");

        String tonight = BackupTools.resticBackup(repository, passwordFile, share);
        CheckResult big = collector().run(check(0, 0.5));

        assertThat(big.getStatus()).as(big.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(big.getSummary()).contains("latest snapshot " + tonight + " is ")
                .contains("; it holds 97.7 KB in 7 files and folders (previous " + nightly + ": 97.7 KB in 7 files and folders); 3 snapshots");
    }

    @Test
    void failsOnTheAgeOfTheRealBackupsWhenASnapshotIsDatedAYearAhead() throws IOException {
        String real = BackupTools.resticBackup(repository, passwordFile, share);
        Instant now = Instant.now().plus(Duration.ofDays(3).plusMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant nextYear = now.plus(Duration.ofDays(365));
        String ahead = BackupTools.resticBackup(repository, passwordFile, share, "--time", RESTIC_TIME.format(nextYear));

        CheckResult result = collector(Clock.fixed(now, ZoneOffset.UTC)).run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("latest snapshot " + real + " is 3 days old (limit 26 h); "
                + "clock problem on the backup host: snapshot " + ahead + " is dated " + nextYear + ", 365 days ahead of this computer's clock");
        assertThat(result.getRepository().getLatestSnapshotId()).startsWith(real);
        assertThat(result.getRepository().getSnapshotCount()).isEqualTo(1);
        assertThat(result.getFutureDatedList()).singleElement().satisfies(item -> {
            assertThat(item.getName()).isEqualTo("snapshot " + ahead);
            assertThat(item.getDatedAt().getSeconds()).isEqualTo(nextYear.getEpochSecond());
        });
    }

    @Test
    void warnsAboutAFutureDatedSnapshotBesideFreshOnesAndComparesAcrossIt() throws IOException {
        String first = BackupTools.resticBackup(repository, passwordFile, share);
        Instant nextYear = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
        // an empty snapshot dated ahead: neither the latest nor the baseline
        BackupTools.emptyFolder(share);
        String ahead = BackupTools.resticBackup(repository, passwordFile, share, "--time", RESTIC_TIME.format(nextYear));
        BackupTools.sampleData(dir);
        String second = BackupTools.resticBackup(repository, passwordFile, share);

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).startsWith("latest snapshot " + second + " is ")
                .contains("; it holds 97.7 KB in 7 files and folders (previous " + first + ": 97.7 KB in 7 files and folders); 2 snapshots back to ")
                .endsWith("; clock problem on the backup host: snapshot " + ahead + " is dated " + nextYear
                        + ", 364 days 23 h ahead of this computer's clock (not counted as fresh)");
        assertThat(result.getFutureDatedCount()).isEqualTo(1);
    }

    @Test
    void failsWhenEverySnapshotIsDatedInTheFuture() throws IOException {
        Instant nextYear = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
        String ahead = BackupTools.resticBackup(repository, passwordFile, share, "--time", RESTIC_TIME.format(nextYear));

        CheckResult result = collector().run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("no snapshots in the repository set in check.cloud-copy.repository other than ones "
                + "dated in the future; clock problem on the backup host: snapshot " + ahead + " is dated " + nextYear);
        assertThat(result.getRepository().hasLatestSnapshotAt()).isFalse();
    }

    @Test
    void readsTheSummaryResticSeventeenStoresInEachSnapshot() throws Exception {
        // the shape restic 0.17 documents for `restic snapshots --json` (snapshot statistics, restic PR #4705)
        String json = """
                {"time":"2026-11-29T21:00:05.1Z","tree":"aa","paths":["/srv/share","/etc"],"hostname":"pc","username":"root",
                 "program_version":"restic 0.17.3",
                 "summary":{"backup_start":"2026-11-29T21:00:00Z","backup_end":"2026-11-29T21:00:05Z","files_new":0,
                  "files_changed":0,"files_unmodified":1204,"dirs_new":0,"dirs_changed":0,"dirs_unmodified":40,"data_blobs":0,
                  "tree_blobs":0,"data_added":0,"data_added_packed":0,"total_files_processed":1204,
                  "total_bytes_processed":3435973836},
                 "id":"1a2b3c4d00000000000000000000000000000000000000000000000000000000","short_id":"1a2b3c4d"}""";
        RepositorySnapshot parsed = ResticRepository.snapshot(ToolJson.object(ToolJson.parse(json)));

        assertThat(parsed.label()).isEqualTo("1a2b3c4d");
        assertThat(parsed.source()).isEqualTo("pc:/etc,/srv/share");
        assertThat(parsed.summary()).contains(new SnapshotSize(3_435_973_836L, 1204, false));
        assertThat(parsed.summary().get().describe()).isEqualTo("1,204 files, 3.2 GB");
    }

    private ResticRepositoryCollector collector() {
        return collector(Clock.systemUTC());
    }

    private ResticRepositoryCollector collector(Clock clock) {
        LocalChecks settings;
        try {
            settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + passwordFile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ResticRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, clock);
    }

    /** A nightly cloud copy: 26 h, structure-only check, the given size limits. */
    static CheckDefinition check(long minSizeBytes, double minSizeRatio) {
        return CheckDefinition.newBuilder()
                .setCheckId("cloud-copy")
                .setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder()
                        .setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))
                        .setMinSizeBytes(minSizeBytes)
                        .setMinSizeRatio(minSizeRatio))
                .build();
    }
}
