package io.rampart.controlplane.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.Refusal.FieldError;

/** What a centrally set source may look like: the shapes people type, and the refusals they read. */
class SourceSettingsTest {

    @Test
    void takesThePathsHostsAndAddressesOfRealPractices() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path", "/mnt/nas/backups");
        settings.put("dump-path", "D:\\Backups\\pgdump");
        settings.put("scratch", "\\\\nas\\restore-scratch");
        settings.put("repository", "sftp:backup@nas.local:/srv/restic");
        settings.put("primary", "db1.practice.local:5432");
        settings.put("secondary", "[fd00::5]:5433");
        settings.put("scratch-database", "10.0.0.7");
        settings.put("host", "fd00::9");
        settings.put("port", "3493");
        settings.put("ups", "smart1500");
        settings.put("user", "rampart_monitor");
        settings.put("timeout", "90 min");
        settings.put("tool", "borg");
        settings.put("self-test-window", "Tue 10:00-11:00");

        assertThat(SourceSettings.problems("settings", settings)).isEmpty();
    }

    @Test
    void refusesWhatCouldHarmOrLeakAndSaysWhy() {
        assertThat(SourceSettings.problem("path", "../etc")).contains(
                "must be an absolute path, such as /mnt/nas/backups or D:\\Backups or \\\\nas\\backups");
        assertThat(SourceSettings.problem("path", "/mnt/nas/../../etc")).isPresent();
        assertThat(SourceSettings.problem("repository", "rest:https://backup:hunter2@nas:8000/")).contains(
                "must be a restic or borg repository address without a password, such as sftp:backup@nas:/srv/restic");
        assertThat(SourceSettings.problem("repository", "--password-command=sh")).isPresent();
        assertThat(SourceSettings.problem("psql", "/tmp/evil")).contains(
                "psql is set only in checks.properties on the practice's server: the control plane never chooses which program the agent runs");
        assertThat(SourceSettings.problem("verify-query", "drop table patients")).contains(
                "verify-query is set only in checks.properties on the practice's server: the control plane never chooses a query the agent runs on the practice's database");
        assertThat(SourceSettings.problem("password", "hunter2")).contains(
                "password is set only in checks.properties on the practice's server: a password is never sent in clear: seal it to the practice's agents instead");
        assertThat(SourceSettings.problem("ups", "ups1\u0000")).contains("must not contain control characters such as NUL or a line break");
        assertThat(SourceSettings.problem("path", "/" + "a".repeat(1100))).contains("is 1101 characters long; at most 1024");
        assertThat(SourceSettings.problem("primary", "db1:5432:1")).contains(
                "must be host:port, such as db1.local:5432 or [fd00::5]:5432 (the port may be left out)");
        assertThat(SourceSettings.problem("port", "0")).contains("must be a TCP port number from 1 to 65535");
        assertThat(SourceSettings.problem("tool", "rsync")).contains("must be restic or borg");
        assertThat(SourceSettings.problem("path", " /mnt/nas")).contains("must not start or end with spaces");
    }

    @Test
    void namesEachBadSettingUnderItsFieldAndAnUnknownOneWithTheKnownOnes() {
        assertThat(SourceSettings.problems("settings", Map.of("colour", "blue"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("settings.colour");
            assertThat(error.message()).startsWith("unknown setting 'colour': one of database, dump-path, engine, host,");
        });
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("k" + i, "v");
        }
        assertThat(SourceSettings.problems("settings", many)).extracting(FieldError::field).contains("settings");
    }
}
