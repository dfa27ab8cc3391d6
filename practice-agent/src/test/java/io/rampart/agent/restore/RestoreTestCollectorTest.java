package io.rampart.agent.restore;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.collectors.FutureDates;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/** Restores real restic snapshots, borg archives and folder backups into a scratch folder. */
class RestoreTestCollectorTest {

    @TempDir
    Path dir;

    @Test
    void restoresTheLatestResticSnapshotVerifiesEveryFileAndRemovesTheScratchFolder() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        Path data = BackupTools.sampleData(dir);
        BackupTools.resticBackup(repository, password, data, "--time", "2026-01-01 00:00:00");
        String latest = BackupTools.resticBackup(repository, password, data);
        Path scratch = dir.resolve("scratch");
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + password,
                "check.cloud-copy.tool=restic", "check.monthly-restore.scratch=" + scratch);

        CheckResult result = collector(settings).run(restoreTest("cloud-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("restored snapshot " + latest + " of cloud-copy in ")
                .endsWith("(objective 15 min) and verified 3 files, 97.7 KB by restic-restore");
        assertThat(result.getRestoreTest().getMethod()).isEqualTo("restic-restore");
        assertThat(result.getRestoreTest().getSourceCheckId()).isEqualTo("cloud-copy");
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("snapshot " + latest);
        assertThat(result.getRestoreTest().getFilesVerified()).isEqualTo(BackupTools.SAMPLE_FILES);
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(BackupTools.SAMPLE_BYTES);
        assertThat(result.getRestoreTest().getVerification()).contains("--verify");
        assertThat(DesiredConfiguration.toDuration(result.getRestoreTest().getRestoreDuration())).isPositive();
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void extractsTheLatestBorgArchiveVerifiesEveryFileAndRemovesTheScratchFolder() throws IOException {
        Path repository = dir.resolve("borg-repo");
        Path password = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        Path borgBase = dir.resolve("backup-job-home");
        BackupTools.borgInit(repository, password, borgBase);
        Path data = BackupTools.sampleData(dir);
        BackupTools.borgCreate(repository, password, borgBase, "pc-new", data);
        BackupTools.borgCreate(repository, password, borgBase, "pc-old", data, "--timestamp", "2026-01-01T00:00:00");
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + repository,
                "check.office-borg.password-file=" + password, "check.office-borg.tool=borg");

        CheckResult result = collector(settings).run(restoreTest("office-borg", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getMethod()).isEqualTo("borg-extract");
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("archive pc-new");
        assertThat(result.getRestoreTest().getFilesVerified()).isEqualTo(BackupTools.SAMPLE_FILES);
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(BackupTools.SAMPLE_BYTES);
        // no scratch setting: the agent home's restore-scratch/, emptied afterwards
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void copiesTheNewestFolderBackupAndComparesItsSha256() throws IOException {
        Path nas = Files.createDirectories(dir.resolve("nas"));
        Files.writeString(nas.resolve("2026-11-24.bak"), "older backup");
        Path newest = nas.resolve("2026-11-25.bak");
        Files.write(newest, new byte[4096]);
        Files.setLastModifiedTime(nas.resolve("2026-11-24.bak"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        LocalChecks settings = checks(dir, "check.nas-copy.path=" + nas);

        CheckResult result = collector(settings).run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).endsWith("and verified 1 file, 4.0 KB by folder-copy");
        assertThat(result.getRestoreTest().getMethod()).isEqualTo("folder-copy");
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("2026-11-25.bak");
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(4096);
        assertThat(result.getRestoreTest().getVerification()).startsWith("SHA-256 of the copy matches the backup");
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void neverRestoresAFolderBackupDatedInTheFuture() throws IOException {
        Path nas = Files.createDirectories(dir.resolve("nas"));
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Path real = nas.resolve("2026-11-22.bak");
        Files.write(real, new byte[2048]);
        Files.setLastModifiedTime(real, FileTime.from(now.minus(Duration.ofDays(3))));
        Path touched = nas.resolve("touched.bak");
        Files.writeString(touched, "touched to next year");
        Files.setLastModifiedTime(touched, FileTime.from(now.plus(Duration.ofDays(365))));
        LocalChecks settings = checks(dir, "check.nas-copy.path=" + nas);

        CheckResult result = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC))
                .run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getRestoreTest().getRestoredItem()).isEqualTo("2026-11-22.bak");
        assertThat(result.getRestoreTest().getBytesVerified()).isEqualTo(2048);
        assertThat(result.getSummary()).endsWith("by folder-copy; not restored: "
                + FutureDates.describe("touched.bak", now.plus(Duration.ofDays(365)), now));
        assertThat(result.getFutureDatedList()).containsExactly(FutureDates.item("touched.bak", now.plus(Duration.ofDays(365)), now));
    }

    @Test
    void failsWhenTheOnlyFolderBackupIsDatedInTheFuture() throws IOException {
        Path nas = Files.createDirectories(dir.resolve("nas"));
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Path touched = nas.resolve("touched.bak");
        Files.writeString(touched, "touched to next year");
        Files.setLastModifiedTime(touched, FileTime.from(now.plus(Duration.ofDays(365))));
        LocalChecks settings = checks(dir, "check.nas-copy.path=" + nas);

        CheckResult result = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.fixed(now, ZoneOffset.UTC))
                .run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("no backup file to restore in the folder set in check.nas-copy.path; not restored: "
                + FutureDates.describe("touched.bak", now.plus(Duration.ofDays(365)), now));
    }

    @Test
    void aCopyThatDiffersFromTheBackupFailsTheComparisonNamingTheFile() throws IOException {
        Path original = dir.resolve("2026-11-25.bak");
        Files.writeString(original, "the real backup");
        Path copy = Files.createDirectories(dir.resolve("scratch")).resolve("2026-11-25.bak");
        Files.writeString(copy, "the real backuq");

        assertThat(RestoredFiles.compare(original, copy))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("the restored copy of 2026-11-25.bak does not match the backup (SHA-256 "));
        Files.writeString(copy, "the real backup");
        assertThat(RestoredFiles.compare(original, copy)).isEmpty();
    }

    @Test
    void failsWhenTheRestoreTakesLongerThanTheDowntimeObjective() throws IOException {
        Path nas = Files.createDirectories(dir.resolve("nas"));
        Files.writeString(nas.resolve("2026-11-25.bak"), "backup");
        LocalChecks settings = checks(dir, "check.nas-copy.path=" + nas);
        AtomicLong now = new AtomicLong();
        LongSupplier stopwatch = () -> now.getAndAdd(Duration.ofMinutes(17).toNanos());

        CheckResult result = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.systemUTC(), stopwatch)
                .run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("restore took 17 min, the downtime objective is 15 min");
        assertThat(DesiredConfiguration.toDuration(result.getRestoreTest().getRestoreDuration())).isEqualTo(Duration.ofMinutes(17));
    }

    @Test
    void refusesAScratchFolderInsideTheBackupSource() throws IOException {
        Path nas = Files.createDirectories(dir.resolve("nas"));
        Files.writeString(nas.resolve("2026-11-25.bak"), "backup");
        LocalChecks settings = checks(dir, "check.nas-copy.path=" + nas, "check.monthly-restore.scratch=" + nas.resolve("tmp"));

        CheckResult result = collector(settings).run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("the scratch folder must not be the backup source or inside it: "
                + "set check.monthly-restore.scratch=<another folder> in checks.properties");
    }

    @Test
    void errorsNamingThePropertiesWhenTheSourceCheckIsNotBoundHere() throws IOException {
        CheckResult result = collector(checks(dir)).run(restoreTest("nas-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.nas-copy.path=<folder> or check.nas-copy.repository=<repository>");
    }

    @Test
    void errorsWithTheRepositoryProblemWhenThePasswordIsWrong() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        Path wrong = BackupTools.passwordFile(dir, "wrong.pass", "tr0ub4dor");
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + wrong);

        CheckResult result = collector(settings).run(restoreTest("cloud-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("wrong password or no key found");
        assertThat(dir.resolve("agent-home/restore-scratch")).isEmptyDirectory();
    }

    @Test
    void aResticRestoreWaitsUntilThePracticesBackupWindowHasClosedAndAFolderCopyDoesNot() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        Path nas = Files.createDirectories(dir.resolve("nas"));
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + password,
                "check.nas-copy.path=" + nas).withBackupWindow("21:00-06:30");
        Instant night = Instant.parse("2026-11-30T23:00:00Z");
        RestoreTestCollector collector = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings,
                Clock.fixed(night, ZoneOffset.UTC));

        // restic restore takes a shared lock, which would make the practice's prune fail: after 06:30, with 6 h to spare
        assertThat(collector.deferredUntil(restoreTest("cloud-copy", Duration.ofMinutes(15)))).contains(Instant.parse("2026-12-01T06:30:00Z"));
        assertThat(collector.deferredUntil(restoreTest("nas-copy", Duration.ofMinutes(15)))).isEmpty();
        RestoreTestCollector inTheAfternoon = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings,
                Clock.fixed(Instant.parse("2026-11-30T13:00:00Z"), ZoneOffset.UTC));
        assertThat(inTheAfternoon.deferredUntil(restoreTest("cloud-copy", Duration.ofMinutes(15)))).isEmpty();
    }

    @Test
    void aRestoreThatCouldNeverEndBeforeTheBackupWindowOpensSaysSoInsteadOfRunning() throws IOException {
        Path repository = dir.resolve("restic-repo");
        Path password = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        BackupTools.resticInit(repository, password);
        BackupTools.resticBackup(repository, password, BackupTools.sampleData(dir));
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + password,
                "check.cloud-copy.timeout=7h").withBackupWindow("08:00-02:00");
        RestoreTestCollector collector = new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings,
                Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC));

        assertThat(collector.deferredUntil(restoreTest("cloud-copy", Duration.ofMinutes(15)))).isEmpty();
        CheckResult result = collector.run(restoreTest("cloud-copy", Duration.ofMinutes(15)));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("the restore test never runs: restoring cloud-copy locks its repository for up to its "
                + "time limit, which never ends before the backup window 08:00-02:00 opens again (shorten check.cloud-copy.timeout or the "
                + "backup window)");
    }

    private RestoreTestCollector collector(LocalChecks settings) {
        return new RestoreTestCollector(AgentHome.at(dir.resolve("agent-home")), settings, Clock.systemUTC());
    }

    private static CheckDefinition restoreTest(String source, Duration objective) {
        return CheckDefinition.newBuilder()
                .setCheckId("monthly-restore")
                .setKind(CheckKind.CHECK_KIND_RESTORE_TEST)
                .setRestoreTest(RestoreTestSettings.newBuilder()
                        .setSourceCheckId(source)
                        .setMaxRestoreDuration(DesiredConfiguration.toProto(objective)))
                .build();
    }
}
