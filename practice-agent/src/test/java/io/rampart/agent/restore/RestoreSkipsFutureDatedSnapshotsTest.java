package io.rampart.agent.restore;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * A snapshot dated a year ahead ({@code restic backup --time}, {@code borg create --timestamp}) is a clock problem,
 * not the newest backup: the restore test restores the newest honest one and says what it passed over.
 */
class RestoreSkipsFutureDatedSnapshotsTest {

    private static final DateTimeFormatter RESTIC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @TempDir
    Path dir;

    @Test
    void restoresTheNewestResticSnapshotNotDatedInTheFuture() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        Path data = BackupTools.sampleData(dir);
        String real = BackupTools.resticBackup(repository, password, data);
        Instant now = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        Instant nextYear = now.plus(Duration.ofDays(365));
        // what the typo backed up is different: restoring it would not verify the real backups
        Files.writeString(data.resolve("typo.txt"), "only in the future-dated snapshot\n");
        String ahead = BackupTools.resticBackup(repository, password, data, "--time", RESTIC_TIME.format(nextYear));
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + password,
                "check.cloud-copy.tool=restic");

        CheckResult result = collector(settings, now).run(restoreTest("cloud-copy"));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("snapshot " + real);
        assertThat(result.getRestoreTest().getFilesVerified()).isEqualTo(BackupTools.SAMPLE_FILES);
        assertThat(result.getSummary()).startsWith("restored snapshot " + real + " of cloud-copy in ")
                .endsWith("by restic-restore; not restored: clock problem on the backup host: snapshot " + ahead + " is dated " + nextYear
                        + ", 365 days ahead of this computer's clock (not counted as fresh)");
        assertThat(result.getFutureDatedList()).singleElement().satisfies(item -> assertThat(item.getName()).isEqualTo("snapshot " + ahead));
    }

    @Test
    void extractsTheNewestBorgArchiveNotDatedInTheFuture() throws IOException {
        Path repository = dir.resolve("borg-repo");
        Path password = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        Path borgBase = dir.resolve("backup-job-home");
        BackupTools.borgInit(repository, password, borgBase);
        Path data = BackupTools.sampleData(dir);
        BackupTools.borgCreate(repository, password, borgBase, "pc-real", data);
        Instant now = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        BackupTools.borgCreate(repository, password, borgBase, "pc-typo", data, "--timestamp",
                LocalDateTime.ofInstant(now.plus(Duration.ofDays(365)), ZoneOffset.UTC).toString());
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + repository,
                "check.office-borg.password-file=" + password, "check.office-borg.tool=borg");

        CheckResult result = collector(settings, now).run(restoreTest("office-borg"));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("archive pc-real");
        assertThat(result.getSummary()).contains("; not restored: clock problem on the backup host: archive pc-typo is dated ");
    }

    @Test
    void failsWhenEverySnapshotIsDatedInTheFuture() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        Path data = BackupTools.sampleData(dir);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String ahead = BackupTools.resticBackup(repository, password, data, "--time", RESTIC_TIME.format(now.plus(Duration.ofDays(365))));
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + password);

        CheckResult result = collector(settings, now).run(restoreTest("cloud-copy"));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).startsWith("the repository of cloud-copy has no snapshot to restore dated before now; "
                + "not restored: clock problem on the backup host: snapshot " + ahead + " is dated ");
        assertThat(result.getFutureDatedCount()).isEqualTo(1);
    }

    private RestoreTestCollector collector(LocalChecks settings, Instant now) {
        return new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static CheckDefinition restoreTest(String source) {
        return CheckDefinition.newBuilder()
                .setCheckId("monthly-restore")
                .setKind(CheckKind.CHECK_KIND_RESTORE_TEST)
                .setRestoreTest(RestoreTestSettings.newBuilder()
                        .setSourceCheckId(source)
                        .setMaxRestoreDuration(DesiredConfiguration.toProto(Duration.ofMinutes(15))))
                .build();
    }
}
