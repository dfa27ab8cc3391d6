package io.rampart.controlplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * Two packaged control planes on one PostgreSQL and one Kafka, both running the compliance
 * evaluation every second in small batches: every practice is evaluated, by one of them, once.
 */
class TwoReplicasEvaluateOnceIT {

    private static final int PRACTICES = 600;
    private static final List<String> FAST_EVALUATION = List.of("-Drampart.compliance.evaluate-every=1s", "-Drampart.compliance.batch-size=5");

    @TempDir
    Path temp;

    @Test
    void twoControlPlanesOnOneDatabaseEvaluateEveryPracticeExactlyOnce() throws Exception {
        Path first = Files.createDirectories(temp.resolve("first"));
        Path second = Files.createDirectories(temp.resolve("second"));
        ControlPlaneProcess.Ports ports = ControlPlaneProcess.Ports.free();
        try (ControlPlaneProcess one = new ControlPlaneProcess(first, ports, FAST_EVALUATION).start();
                ControlPlaneProcess other = new ControlPlaneProcess(second, ControlPlaneProcess.Ports.free(), concat(FAST_EVALUATION, List.of(
                        "-Drampart.embedded.enabled=false",
                        "-Dquarkus.datasource.jdbc.url=" + one.jdbcUrl(),
                        "-Dquarkus.datasource.username=postgres",
                        "-Dquarkus.datasource.password=postgres",
                        "-Drampart.kafka.bootstrap-servers=localhost:" + ports.kafka(),
                        "-Drampart.agents.ca-dir=" + first.resolve("ca")))).start()) {
            ProcessDatabase database = new ProcessDatabase(one.jdbcUrl());
            List<UUID> practices = database.seedPractices("Replica Surgery", PRACTICES);
            String ids = "'{" + String.join(",", practices.stream().map(UUID::toString).toList()) + "}'::uuid[]";

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> database.column(
                    "select count(*) from practice_compliance where evaluated_at is not null and practice_id = any(" + ids + ")")
                    .get(0).equals(String.valueOf(PRACTICES)));

            // the first evaluation of a practice writes its overall state to the history once; twice would be a double
            assertThat(database.column("select count(*) from compliance_history where rule_id is null and practice_id = any(" + ids + ")"))
                    .containsExactly(String.valueOf(PRACTICES));
            assertThat(database.column("select practice_id from compliance_history where rule_id is null and practice_id = any("
                    + ids + ") group by practice_id having count(*) > 1")).isEmpty();
            // and both took part
            assertThat(database.column("select distinct evaluated_by from practice_compliance where practice_id = any(" + ids + ")"))
                    .hasSize(2);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
