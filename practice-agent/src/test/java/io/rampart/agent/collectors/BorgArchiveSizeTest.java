package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

/** Empty, shrunk and future-dated borg archives, made by the real borg create. */
class BorgArchiveSizeTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path borgBase;
    private Path share;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("borg-repo");
        passwordFile = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        borgBase = dir.resolve("backup-job-home");
        share = BackupTools.sampleData(dir);
        BackupTools.borgInit(repository, passwordFile, borgBase);
    }

    @Test
    void failsWhenTheLatestArchiveIsOfAnEmptyFolder() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-monday", share);
        BackupTools.emptyFolder(share);
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-tuesday", share);

        CheckResult result = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest archive pc-tuesday is empty: 0 files, 0 bytes, where the previous pc-monday "
                + "held 3 files, 97.7 KB; check that the folder or share it backs up is mounted");
        assertThat(result.getRepository().getLatestFileCount()).isZero();
        assertThat(result.getRepository().getPreviousFileCount()).isEqualTo(BackupTools.SAMPLE_FILES);
        assertThat(result.getRepository().getPreviousSizeBytes()).isEqualTo(BackupTools.SAMPLE_BYTES);
        assertThat(result.getRepository().getFileCountIncludesFolders()).isFalse();
    }

    @Test
    void failsWhenTheFirstArchiveIsOfAnEmptyFolder() throws IOException {
        BackupTools.emptyFolder(share);
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-first", share);

        CheckResult result = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest archive pc-first is empty: 0 files, 0 bytes; "
                + "check that the folder or share it backs up is mounted");
    }

    @Test
    void failsWhenHalfTheFilesAreGone() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-monday", share);
        Files.delete(share.resolve("index.txt"));
        Files.delete(share.resolve("xrays/notes.txt"));
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-tuesday", share);

        CheckResult result = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest archive pc-tuesday holds 1 file, 97.7 KB, under half of the previous "
                + "pc-monday (3 files, 97.7 KB)");
    }

    @Test
    void passesAnArchiveAsBigAsThePreviousWithTheNumbers() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-monday", share);
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-tuesday", share);

        CheckResult result = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("latest archive pc-tuesday is ")
                .contains("; it holds 3 files, 97.7 KB (previous pc-monday: 3 files, 97.7 KB); 2 archives back to ");
    }

    @Test
    void comparesWithTheLastArchiveOfTheSameFoldersNotWithAnotherJobsArchive() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-monday", share);
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        BackupTools.borgCreate(repository, passwordFile, borgBase, "etc-weekly", etc);

        CheckResult small = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(small.getStatus()).as(small.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(small.getSummary()).contains("; it holds 1 file, 20 bytes (no earlier archive of the same paths to compare with); ");

        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-tuesday", share);
        CheckResult big = collector(Clock.systemUTC()).run(check(0, 0.5));

        assertThat(big.getStatus()).as(big.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(big.getSummary()).contains("latest archive pc-tuesday is ")
                .contains("; it holds 3 files, 97.7 KB (previous pc-monday: 3 files, 97.7 KB); 3 archives back to ");
    }

    @Test
    void failsOnTheAgeOfTheRealArchivesWhenOneIsTimestampedAYearAhead() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-real", share);
        Instant now = Instant.now().plus(Duration.ofDays(3).plusMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant nextYear = now.plus(Duration.ofDays(365));
        // borg create --timestamp takes UTC when no offset is given
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-typo", share, "--timestamp",
                LocalDateTime.ofInstant(nextYear, ZoneOffset.UTC).toString());

        CheckResult result = new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), bound(), Clock.fixed(now, ZoneOffset.UTC))
                .run(check(0, 0.5));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("latest archive pc-real is 3 days old (limit 26 h); clock problem on the backup host: "
                + "archive pc-typo is dated ");
        assertThat(result.getRepository().getLatestSnapshotId()).isEqualTo("pc-real");
        assertThat(result.getFutureDatedList()).singleElement().satisfies(item -> assertThat(item.getName()).isEqualTo("archive pc-typo"));
    }

    private LocalChecks bound() throws IOException {
        return checks(dir, "check.office-borg.repository=" + repository, "check.office-borg.password-file=" + passwordFile);
    }

    private BorgRepositoryCollector collector(Clock clock) throws IOException {
        return new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), bound(), clock);
    }

    private static CheckDefinition check(long minSizeBytes, double minSizeRatio) {
        return CheckDefinition.newBuilder()
                .setCheckId("office-borg")
                .setKind(CheckKind.CHECK_KIND_BORG_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder()
                        .setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(26)))
                        .setMinSizeBytes(minSizeBytes)
                        .setMinSizeRatio(minSizeRatio))
                .build();
    }
}
