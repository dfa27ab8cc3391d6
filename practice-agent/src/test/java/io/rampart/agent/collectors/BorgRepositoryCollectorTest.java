package io.rampart.agent.collectors;

import static io.rampart.agent.collectors.BackupTools.checks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** Against the real borg: repositories made by borg init --encryption=repokey and borg create. */
class BorgRepositoryCollectorTest {

    @TempDir
    Path dir;

    private Path repository;
    private Path passwordFile;
    private Path borgBase;
    private Path data;

    @BeforeEach
    void createRepository() throws IOException {
        repository = dir.resolve("borg-repo");
        passwordFile = BackupTools.passwordFile(dir, "borg.pass", "correct horse battery staple");
        borgBase = dir.resolve("backup-job-home");
        data = BackupTools.sampleData(dir);
        BackupTools.borgInit(repository, passwordFile, borgBase);
    }

    @Test
    void passesWithAFreshArchiveAndACleanCheck() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-2026-11-25", data);
        Instant now = Instant.now().plus(Duration.ofHours(3));

        CheckResult result = collector(bound(passwordFile), Clock.fixed(now, ZoneOffset.UTC)).run(check(26, 100, 1));

        assertThat(result.getStatus()).as(result.getSummary()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getSummary()).startsWith("latest archive pc-2026-11-25 is 3 h old (limit 26 h); it holds 3 files, 97.7 KB "
                + "(the first archive, nothing to compare with); 1 archive back to ")
                .endsWith("; check passed (read 100% of data)");
        assertThat(result.getRepository().getTool()).startsWith("borg 1.");
        assertThat(result.getRepository().getSnapshotCount()).isEqualTo(1);
        assertThat(result.getRepository().getLatestSnapshotId()).isEqualTo("pc-2026-11-25");
        assertThat(result.getRepository().getCheckPassed()).isTrue();
        // borg's cache and security state went under the agent's home, not the backup job's
        assertThat(dir.resolve("agent-home/cache/borg")).isDirectory();
    }

    @Test
    void failsWhenTheLatestArchiveIsOlderThanTheLimit() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-new-year", data, "--timestamp", "2026-01-01T00:00:00");
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-older", data, "--timestamp", "2025-12-31T00:00:00");
        Clock clock = Clock.fixed(Instant.parse("2026-01-03T00:00:00Z"), ZoneOffset.UTC);

        CheckResult result = collector(bound(passwordFile), clock).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("latest archive pc-new-year is 48 h old (limit 26 h)");
        assertThat(result.getRepository().getSnapshotCount()).isEqualTo(2);
        assertThat(result.getRepository().getOldestSnapshotAt().getSeconds())
                .isEqualTo(Instant.parse("2025-12-31T00:00:00Z").getEpochSecond());
    }

    @Test
    void errorsWithAWrongPassphraseSayingSo() throws IOException {
        BackupTools.borgCreate(repository, passwordFile, borgBase, "pc-2026-11-25", data);
        Path wrong = BackupTools.passwordFile(dir, "wrong.pass", "tr0ub4dor");

        CheckResult result = collector(bound(wrong), Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("borg cannot open the repository set in check.office-borg.repository: "
                + "the passphrase is incorrect (is check.office-borg.password-file the right password file?)");
        assertThat(result.toString()).doesNotContain("tr0ub4dor").doesNotContain(dir.toString());
    }

    @Test
    void errorsWhenAFolderIsNoBorgRepository() throws IOException {
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + data, "check.office-borg.password-file=" + passwordFile);

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).isEqualTo("there is no borg repository at the location set in "
                + "check.office-borg.repository (is the drive or share connected?)");
    }

    @Test
    void errorsWhenBorgIsNotInstalled() throws IOException {
        LocalChecks settings = checks(dir, "check.office-borg.repository=" + repository,
                "check.office-borg.password-file=" + passwordFile, "check.office-borg.executable=" + dir.resolve("no-borg-here"));

        CheckResult result = collector(settings, Clock.systemUTC()).run(check(26, 0, 1));

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("borg is not installed on this computer");
    }

    private LocalChecks bound(Path password) throws IOException {
        return checks(dir, "check.office-borg.repository=" + repository, "check.office-borg.password-file=" + password);
    }

    private BorgRepositoryCollector collector(LocalChecks settings, Clock clock) {
        return new BorgRepositoryCollector(AgentHome.at(dir.resolve("agent-home")), settings, clock);
    }

    private static CheckDefinition check(int maxAgeHours, double readDataPercent, int minSnapshots) {
        return CheckDefinition.newBuilder()
                .setCheckId("office-borg")
                .setKind(CheckKind.CHECK_KIND_BORG_REPOSITORY)
                .setRepository(RepositorySettings.newBuilder()
                        .setMaxAge(DesiredConfiguration.toProto(Duration.ofHours(maxAgeHours)))
                        .setReadDataPercent(readDataPercent)
                        .setMinSnapshots(minSnapshots))
                .build();
    }
}
