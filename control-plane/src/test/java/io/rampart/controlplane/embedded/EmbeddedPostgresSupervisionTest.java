package io.rampart.controlplane.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL (a real one, zonky's binaries) killed with SIGKILL, postmaster and
 * backends, is started again by its supervisor on the same data: crash recovery keeps every
 * committed row, and the stale {@code postmaster.pid} does not stop it.
 */
class EmbeddedPostgresSupervisionTest {

    @TempDir
    Path temp;

    @Test
    void aKilledPostmasterIsStartedAgainOnTheSameDataAndKeepsEveryCommittedRow() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(temp, port, true)) {
            execute(postgres, "create table kept (id int primary key)", "insert into kept select generate_series(1, 1000)");
            Path pgdata = temp.resolve("pgdata");
            ProcessHandle postmaster = ProcessHandle.of(pid(pgdata)).orElseThrow();
            List<ProcessHandle> backends = postmaster.children().toList();

            postmaster.destroyForcibly();
            backends.forEach(ProcessHandle::destroyForcibly);

            await().atMost(Duration.ofMinutes(2)).until(() -> postgres.restarts() == 1);
            assertThat(pid(pgdata)).as("the postmaster started again").isNotEqualTo(postmaster.pid());
            assertThat(count(postgres)).as("rows committed before the crash").isEqualTo(1000);
            assertThat(pgdata.resolveSibling("postgres.log")).as("the restarted server's own log").exists();
        }
        assertThat(temp.resolve("pgdata").resolve("postmaster.pid")).as("stopped on close").doesNotExist();
    }

    private static long pid(Path pgdata) throws IOException {
        return Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).strip());
    }

    private static void execute(EmbeddedPostgres postgres, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgres.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from kept")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
