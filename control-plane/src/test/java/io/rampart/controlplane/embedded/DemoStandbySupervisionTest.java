package io.rampart.controlplane.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's clinical database and its streaming standby are real PostgreSQL servers (Debian's), and a standby
 * postmaster killed with SIGKILL is started again on its data directory and streams from the primary again.
 */
class DemoStandbySupervisionTest {

    @TempDir
    Path temp;

    @Test
    void aKilledStandbyIsStartedAgainAndIsBackInRecovery() throws Exception {
        Path bin = DemoTools.find().postgresBin().orElseThrow(() -> new AssertionError("the tests need PostgreSQL (see the README)"));
        // PostgreSQL runs as the postgres user when the tests run as root: it must pass through the temp folder
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DemoStandby servers = DemoStandby.start(bin, temp.resolve("database"))) {
            assertThat(inRecovery(bin, servers.standbyPort())).isEqualTo("t");
            ProcessHandle killed = servers.postmaster("standby").orElseThrow();

            killed.destroyForcibly();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
                assertThat(servers.postmaster("standby")).hasValueSatisfying(p -> assertThat(p.pid()).isNotEqualTo(killed.pid()));
                assertThat(inRecovery(bin, servers.standbyPort())).isEqualTo("t");
            });
        }
        assertThat(Files.readString(temp.resolve("database/standby.log"))).contains("database system is ready to accept read-only connections");
    }

    private static String inRecovery(Path bin, int port) {
        List<String> command = List.of(bin.resolve("psql").toString(), "-X", "-At", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "postgres", "-d", "postgres", "-c", "select pg_is_in_recovery()");
        return DemoProcesses.run(command, Path.of("/"), 30).strip();
    }
}
