package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

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

/** Against the real restic: repositories made by restic init and restic backup. */
class ResticRepositoryCollectorTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path data;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("repo");
        passwordFile = BackupTools.passwordFile(dir, "restic.pass", "correct horse battery staple");
        data = BackupTools.sampleData(dir);
        BackupTools.resticInit(repository, passwordFile);
    }

    @Test
    void passesWithAFreshSnapshotAndACleanCheck() throws IOException {
        String shortId = BackupTools.resticBackup(repository, passwordFile, data);
        Instant now = Instant.now().plus(Duration.ofHours(5));

        CheckResult result = collector(boundSettings(), Clock.fixed(now, ZoneOffset.UTC)).run(check(26, 100, 1));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + shortId + " is 5 h old (limit 26 h); it holds 97.7 KB in 7 files and folders "
                + "(the first snapshot, nothing to compare with); 1 snapshot back to "
                + LocalDate.now(ZoneOffset.UTC) + "; check passed (read 100% of data)");
        assertThat(result.getRepository().getTool()).startsWith("restic 0.");
        assertThat(result.getRepository().getSnapshotCount()).isEqualTo(1);
        assertThat(result.getRepository().getLatestSnapshotId()).startsWith(shortId).hasSize(64);
        assertThat(result.getRepository().getCheckPassed()).isTrue();
        assertThat(result.getRepository().getDataReadPercent()).isEqualTo(100);
        assertThat(result.getRepository().getLatestSnapshotAt().getSeconds()).isBetween(
                now.minus(Duration.ofHours(5)).minusSeconds(120).getEpochSecond(), now.getEpochSecond());
    }

    @Test
    void countsEverySnapshotAndReportsTheOldestAndLatest() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data, "--time", "2026-01-01 00:00:00");
        String latest = BackupTools.resticBackup(repository, passwordFile, data);

        CheckResult result = collector(boundSettings(), Clock.systemUTC()).run(check(26, 0, 2));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).contains("latest snapshot " + latest + " is ")
                .contains("; 2 snapshots back to 2026-01-01; check passed (structure only, no data read)");
        assertThat(result.getRepository().getSnapshotCount()).isEqualTo(2);
        assertThat(result.getRepository().getOldestSnapshotAt().getSeconds())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void failsWhenTheLatestSnapshotIsOlderThanTheLimit() throws IOException {
        String old = BackupTools.resticBackup(repository, passwordFile, data, "--time", "2026-01-01 00:00:00");
        Clock clock = Clock.fixed(Instant.parse("2026-01-03T12:00:00Z"), ZoneOffset.UTC);

        CheckResult result = collector(boundSettings(), clock).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest snapshot " + old + " is 60 h old (limit 26 h)");
        assertThat(result.getRepository().getCheckPassed()).isTrue();
    }

    @Test
    void failsWithFewerSnapshotsThanThePolicyWants() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);

        CheckResult result = collector(boundSettings(), Clock.systemUTC()).run(check(26, 0, 7));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("only 1 snapshot (at least 7 required)");
    }

    @Test
    void failsWhenTheRepositoryHasNoSnapshot() {
        CheckResult result = collector(boundSettings(), Clock.systemUTC()).run(check(26, 0, 0));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("no snapshots in the repository set in check.cloud-copy.repository");
    }

    @Test
    void failsTheCheckOfACorruptedRepositoryQuotingRestic() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        BackupTools.corruptResticData(repository);

        CheckResult result = collector(boundSettings(), Clock.systemUTC()).run(check(26, 100, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).matches("restic check failed: error for tree [0-9a-f]{8}: .*failed.*")
                .doesNotContain("using temporary cache").doesNotContain(dir.toString());
        assertThat(result.getRepository().getCheckPassed()).isFalse();
        assertThat(result.getRepository().getCheckOutput()).isNotBlank().doesNotContain(dir.toString());
    }

    @Test
    void errorsWithAWrongPasswordSayingSoWithoutRevealingIt() throws IOException {
        BackupTools.resticBackup(repository, passwordFile, data);
        Path wrong = BackupTools.passwordFile(dir, "wrong.pass", "tr0ub4dor");
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + wrong);

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("restic cannot open the repository set in check.cloud-copy.repository: "
                + "wrong password or no key found (is check.cloud-copy.password-file the right password file?)");
        assertThat(result.toString()).doesNotContain("tr0ub4dor").doesNotContain(dir.toString());
    }

    @Test
    void errorsNamingThePropertyWhenNoRepositoryIsSet() throws IOException {
        CheckResult result = collector(checks(dir, "check.other.path=/x"), Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("this computer does not know where the restic repository of check cloud-copy is: "
                + "set check.cloud-copy.repository=<path or restic URL> in checks.properties");
    }

    @Test
    void errorsNamingThePropertyWhenTheRepositoryFolderIsMissing() throws IOException {
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + dir.resolve("unplugged"),
                "check.cloud-copy.password-file=" + passwordFile);

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("the restic repository set in check.cloud-copy.repository does not exist "
                + "or is not a folder (is the drive or share connected?)");
    }

    @Test
    void errorsWhenAFolderIsNoResticRepository() throws IOException {
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + data, "check.cloud-copy.password-file=" + passwordFile);

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("there is no restic repository at the location set in "
                + "check.cloud-copy.repository (is the drive or share connected?)");
    }

    @Test
    void errorsNamingThePropertyWhenThePasswordFileIsMissing() throws IOException {
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository);

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.cloud-copy.password-file=<file holding the password>");
    }

    @Test
    void errorsWhenResticIsNotInstalled() throws IOException {
        LocalChecks settings = checks(dir, "check.cloud-copy.repository=" + repository,
                "check.cloud-copy.password-file=" + passwordFile, "check.cloud-copy.executable=" + dir.resolve("no-restic-here"));

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("restic is not installed on this computer")
                .contains("set check.cloud-copy.executable=<path to restic>");
    }

    private LocalChecks boundSettings() {
        try {
            return checks(dir, "check.cloud-copy.repository=" + repository, "check.cloud-copy.password-file=" + passwordFile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ResticRepositoryCollector collector(LocalChecks settings, Clock clock) {
        return new ResticRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, clock);
    }

    static CheckDefinition check(int maxAgeHours, double readDataPercent, int minSnapshots) {
        return CheckDefinition.newBuilder()
                .setCheckId("cloud-copy")
                .setKind(CheckKind.CHECK_KIND_RESTIC_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder()
                        .setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(maxAgeHours)))
                        .setReadDataPercent(readDataPercent)
                        .setMinSnapshots(minSnapshots))
                .build();
    }
}
