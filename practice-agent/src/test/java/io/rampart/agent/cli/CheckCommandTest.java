package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

import io.rampart.agent.FakeControlPlane;
import io.rampart.agent.collectors.BackupTools;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * {@code rampart-agent check}: the saved configuration's checks run once with the service's collectors against real
 * folders and a real restic repository; each result in words, the exit code scripts use, nothing sent unless asked, and
 * nothing of a running service disturbed.
 */
class CheckCommandTest {

    private static final String RESTIC_PASSWORD = "correct horse battery staple";
    private static final Duration DAY = Duration.ofHours(26);

    @TempDir
    Path directory;

    private final FakeControlPlane controlPlane = new FakeControlPlane();
    private EnrolledHome agent;
    private Path fresh;
    private Path stale;
    private Path futureDated;
    private Path restic;

    @BeforeEach
    void enrolledAgentWithBackups() throws Exception {
        agent = EnrolledHome.enrol(Files.createDirectories(directory.resolve("home")), controlPlane);
        fresh = folderWith("nas", Instant.now().minus(Duration.ofHours(3)));
        stale = folderWith("usb", Instant.now().minus(Duration.ofDays(3)));
        futureDated = folderWith("archive", Instant.now().minus(Duration.ofHours(2)));
        Path tomorrow = futureDated.resolve("from-tomorrow.tar");
        Files.writeString(tomorrow, "backup dated by a computer whose clock is ahead");
        Files.setLastModifiedTime(tomorrow, FileTime.from(Instant.now().plus(Duration.ofDays(2))));
        Path password = BackupTools.passwordFile(directory, "restic.pass", RESTIC_PASSWORD);
        restic = directory.resolve("restic-repo");
        BackupTools.resticInit(restic, password);
        BackupTools.resticBackup(restic, password, BackupTools.sampleData(directory));
        agent.settings("check.nas-copy.path=" + fresh, "check.usb-copy.path=" + stale, "check.archive.path=" + futureDated,
                "check.offsite.path=" + directory.resolve("not-mounted"),
                "check.cloud-copy.repository=" + restic, "check.cloud-copy.password-file=" + password)
                .received(AgentConfiguration.newBuilder().setVersion(7)
                        .addChecks(folder("nas-copy")).addChecks(folder("usb-copy")).addChecks(folder("archive")).addChecks(folder("offsite"))
                        .addChecks(EnrolledHome.check("cloud-copy", CheckKind.CHECK_KIND_RESTIC_REPOSITORY).toBuilder()
                                .setRepository(RepositorySettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(DAY))))
                        .build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        controlPlane.close();
    }

    @Test
    void passingChecksPrintPassWithTheirSummaryAndExit0() {
        EnrolledHome.Run nas = agent.run("check", "--only", "nas-copy");
        EnrolledHome.Run cloud = agent.run("check", "--only", "cloud-copy");

        assertThat(nas.exit()).isZero();
        assertThat(nas.out()).contains("checking 1 check of configuration version 7 for practice Praxis Dr. Example (practice-7), now, on this computer")
                .containsPattern("PASS     nas-copy \\(backup folder\\): passed, took \\S+ \\S+\n"
                        + "         newest backup nightly.tar is 3 h old \\(limit 26 h\\) and ")
                .contains("1 check: 1 passed; exit code 0")
                .contains("results not sent to the control plane (add --report to queue them for the running agent to deliver)")
                .doesNotContain("what to do");
        assertThat(cloud.out()).as(cloud.out()).contains("PASS     cloud-copy (restic repository): passed");
        assertThat(cloud.exit()).isZero();
        assertThat(cloud.out() + cloud.err()).doesNotContain(RESTIC_PASSWORD);
    }

    @Test
    void aWarningPrintsWarnWithWhatToDoAndExits1() {
        EnrolledHome.Run archive = agent.run("check", "--only", "archive");

        assertThat(archive.exit()).isEqualTo(1);
        assertThat(archive.out()).contains("WARN     archive (backup folder): passed, with a warning")
                .contains("what to do: 1 backup is dated in the future (e.g. from-tomorrow.tar dated ")
                .contains("correct the clock of the computer that made it; the agent never counts them as fresh")
                .contains("what to do: then run `rampart-agent check --only archive` again")
                .contains("1 check: 1 warned; exit code 1");
    }

    @Test
    void aFailurePrintsFailWithWhatToDoAndExits2() {
        EnrolledHome.Run usb = agent.run("check", "--only", "usb-copy");

        assertThat(usb.exit()).isEqualTo(2);
        assertThat(usb.out()).containsPattern("FAIL     usb-copy \\(backup folder\\): failed, took .*\n"
                + "         newest backup nightly.tar is 3 days( \\d+ h)? old \\(limit 26 h\\)\n"
                + "         what to do: look at the backup job that writes here \\(its log, its schedule, the drive or share it writes to\\)\n"
                + "         what to do: then run `rampart-agent check --only usb-copy` again");
    }

    @Test
    void aCheckTheAgentCannotRunIsUnknownSayingWhyAndExits2() {
        EnrolledHome.Run offsite = agent.run("check", "--only", "offsite");

        assertThat(offsite.exit()).isEqualTo(2);
        assertThat(offsite.out()).contains("UNKNOWN  offsite (backup folder): the agent could not check it")
                .contains("check.offsite.path")
                .contains("what to do: fix what the summary names (this computer's settings are in checks.properties in the agent's home); "
                        + "`rampart-agent doctor` checks paths, tools and the connection");
    }

    @Test
    void everyCheckRunsAndTheWorstSetsTheExitCodeWhileNothingIsSentOrChanged() throws Exception {
        byte[] state = Files.readAllBytes(agent.home.stateFile());

        EnrolledHome.Run all = agent.run("check");

        assertThat(all.exit()).isEqualTo(2);
        assertThat(all.out()).contains("checking 5 checks of configuration version 7")
                .contains("PASS     nas-copy").contains("FAIL     usb-copy").contains("WARN     archive").contains("UNKNOWN  offsite")
                .contains("PASS     cloud-copy")
                .contains("5 checks: 2 passed, 1 warned, 1 failed, 1 could not be checked; exit code 2");
        assertThat(Outbox.open(agent.home.outboxDirectory()).size()).isZero();
        assertThat(controlPlane.reportCalls).hasValue(0);
        assertThat(Files.readAllBytes(agent.home.stateFile())).isEqualTo(state);
    }

    @Test
    void reportQueuesTheResultsInTheOutboxForTheRunningAgentToDeliver() {
        EnrolledHome.Run run = agent.run("check", "--only", "nas-copy", "--report");

        assertThat(run.out()).contains("results queued 1 result in the outbox; the running agent delivers them");
        Outbox outbox = Outbox.open(agent.home.outboxDirectory());
        assertThat(outbox.peek(10)).singleElement().satisfies(event -> {
            assertThat(event.getPracticeId()).isEqualTo(FakeControlPlane.PRACTICE_ID);
            assertThat(event.getCheckResult().getCheckId()).isEqualTo("nas-copy");
        });
        assertThat(controlPlane.reportCalls).hasValue(0);
    }

    @Test
    void jsonGivesEachResultForScripts() throws Exception {
        EnrolledHome.Run run = agent.run("check", "--json", "--only", "usb-copy");

        Struct report = parse(run.out());
        assertThat(report.getFieldsOrThrow("exit_code").getNumberValue()).isEqualTo(2);
        assertThat(report.getFieldsOrThrow("queued_for_the_control_plane").getBoolValue()).isFalse();
        Struct check = report.getFieldsOrThrow("checks").getListValue().getValues(0).getStructValue();
        assertThat(check.getFieldsOrThrow("check_id").getStringValue()).isEqualTo("usb-copy");
        assertThat(check.getFieldsOrThrow("kind").getStringValue()).isEqualTo("backup folder");
        assertThat(check.getFieldsOrThrow("status").getStringValue()).isEqualTo("FAIL");
        assertThat(check.getFieldsOrThrow("summary").getStringValue()).startsWith("newest backup nightly.tar is 3 days");
        assertThat(check.getFieldsOrThrow("next_steps").getListValue().getValuesList()).extracting(Value::getStringValue)
                .contains("then run `rampart-agent check --only usb-copy` again");
        assertThat(check.getFieldsOrThrow("result").getStructValue().getFieldsOrThrow("backup_folder").getStructValue()
                .getFieldsOrThrow("newest_file").getStringValue()).isEqualTo("nightly.tar");
        assertThat(run.exit()).isEqualTo(2);
    }

    @Test
    void aCheckTheRunningAgentIsRunningIsNotRunTwice() {
        Instant since = Instant.now().minus(Duration.ofMinutes(4));
        RunningChecks.write(agent.home.runningChecksFile(), Instant.now(), List.of(new RunningChecks.Run("nas-copy", since, true, 0)));

        EnrolledHome.Run run = agent.run("check", "--only", "nas-copy");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("NOT RUN  nas-copy (backup folder): not run now\n"
                + "         because the running agent has been running this check since " + since
                + "; it reports the result itself (`rampart-agent status` shows it)")
                .contains("1 check: 1 not run now; exit code 1");
        assertThat(RunningChecks.read(agent.home.runningChecksFile()).runs()).hasSize(1);
    }

    @Test
    void aRepositoryCheckWaitsForNoTurnTheRunningAgentHasAndRunsOnceItIsFree() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RepositoryTurnHolder.class.getName(), agent.home.directory().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("holding");

            EnrolledHome.Run busy = agent.run("check", "--only", "cloud-copy");

            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.out()).contains("NOT RUN  cloud-copy (restic repository): not run now\n"
                    + "         because the running agent is using a restic or borg repository right now (repository checks take turns, "
                    + "so a repository lock never meets another)");
            assertThat(Files.list(restic.resolve("locks")).count()).isZero();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        EnrolledHome.Run free = agent.run("check", "--only", "cloud-copy");
        assertThat(free.out()).contains("PASS     cloud-copy (restic repository)");
    }

    @Test
    void aRestoreThatWouldLockTheRepositoryInsideTheBackupWindowWaitsAsTheServicesWould() throws Exception {
        java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(agent.home.checksFile()));
        lines.add("backup-window=" + now.minusHours(1).format(hhmm) + "-" + now.plusHours(1).format(hhmm));
        lines.add("check.cloud-copy.timeout=1 h");
        agent.settings(lines.toArray(String[]::new)).received(AgentConfiguration.newBuilder().setVersion(8)
                .addChecks(EnrolledHome.check("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST).toBuilder()
                        .setRestoreTest(io.rampart.protocol.agent.v1.RestoreTestSettings.newBuilder().setSourceCheckId("cloud-copy")))
                .build());

        EnrolledHome.Run run = agent.run("check");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("NOT RUN  restore-test \\(restore test\\): not run now\n"
                + "         because it would lock its repository inside the practice's backup window, so it waits until \\S+ "
                + "\\(in \\d+ (min|h)\\), as the running agent's does");
        assertThat(Files.list(restic.resolve("locks")).count()).isZero();
    }

    @Test
    void withoutEnrolmentOrConfigurationThereIsNothingToCheckExit3AndAnUnknownCheckIsAUsageError() throws Exception {
        Path empty = Files.createDirectories(directory.resolve("empty"));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int notEnrolled = new Main(System.out, new java.io.PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run("check", "--home", empty.toString());
        assertThat(notEnrolled).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not enrolled: run `rampart-agent enroll ...` first (home " + empty + ")");

        EnrolledHome.Run unknown = agent.run("check", "--only", "tape");
        assertThat(unknown.exit()).isEqualTo(64);
        assertThat(unknown.err()).contains("configuration version 7 has no check tape; it has: nas-copy, usb-copy, archive, offsite, cloud-copy");

        Files.delete(agent.home.stateFile());
        EnrolledHome.Run noConfiguration = agent.run("check");
        assertThat(noConfiguration.exit()).isEqualTo(3);
        assertThat(noConfiguration.err()).contains("no configuration received from the control plane yet, so the agent does not know what to check");
    }

    private Path folderWith(String name, Instant modified) throws Exception {
        Path folder = Files.createDirectories(directory.resolve(name));
        Path backup = folder.resolve("nightly.tar");
        Files.write(backup, new byte[4096]);
        Files.setLastModifiedTime(backup, FileTime.from(modified));
        return folder;
    }

    private static CheckDefinition folder(String id) {
        return EnrolledHome.check(id, CheckKind.CHECK_KIND_BACKUP_FOLDER).toBuilder()
                .setBackupFolder(BackupFolderSettings.newBuilder().setMaxAge(DesiredConfiguration.toProto(DAY))).build();
    }

    private static Struct parse(String json) throws Exception {
        Struct.Builder struct = Struct.newBuilder();
        JsonFormat.parser().merge(json, struct);
        return struct.build();
    }
}
