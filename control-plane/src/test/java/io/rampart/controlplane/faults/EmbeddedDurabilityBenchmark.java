package io.rampart.controlplane.faults;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.bench.LatencyRecorder;
import io.rampart.controlplane.testing.ControlPlaneProcess;
import io.rampart.controlplane.testing.ProcessDatabase;

/**
 * What durable embedded mode costs: the packaged control plane started twice, back to back, with
 * {@code rampart.embedded.durable=false} (PostgreSQL fsync and synchronous_commit off, Kafka
 * leaving the flush to the OS) and {@code true} (both on, Kafka flushing every message), each
 * loaded by the load benchmark's simulated agents sending as fast as they are acknowledged.
 * Prints events/s and the p50/p99 acknowledgement latency of each. Not part of the test command
 * (it is a measurement); run it with
 * {@code ./mvnw -pl control-plane failsafe:integration-test -Dit.test=EmbeddedDurabilityBenchmark -Drampart.bench.durability=true}.
 */
class EmbeddedDurabilityBenchmark {

    static final int AGENTS = Integer.getInteger("rampart.bench.agents", 20);
    static final int BATCH = Integer.getInteger("rampart.bench.batch", 50);
    static final Duration WARMUP = Duration.parse(System.getProperty("rampart.bench.warmup", "PT10S"));
    static final Duration MEASURED = Duration.parse(System.getProperty("rampart.bench.duration", "PT30S"));

    @TempDir
    Path temp;

    @Test
    void measuresWhatDurableEmbeddedModeCosts() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("rampart.bench.durability"), "a measurement: run with -Drampart.bench.durability=true");
        List<String> lines = new ArrayList<>();
        for (boolean durable : List.of(false, true)) {
            lines.add(measure(durable));
        }
        System.out.println();
        System.out.printf("Embedded durability cost: %d agents, batches of %d, %s measured after %s warm-up, same machine, back to back%n",
                AGENTS, BATCH, MEASURED, WARMUP);
        lines.forEach(System.out::println);
    }

    private String measure(boolean durable) throws Exception {
        Path dataDir = Files.createDirectories(temp.resolve(durable ? "durable" : "not-durable"));
        try (ControlPlaneProcess controlPlane = new ControlPlaneProcess(dataDir, ControlPlaneProcess.Ports.free(),
                List.of("-Drampart.embedded.durable=" + durable)).start()) {
            ProcessDatabase database = new ProcessDatabase(controlPlane.jdbcUrl());
            String settings = String.join(" ", database.column("select name || '=' || setting from pg_settings"
                    + " where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name"));
            List<String> tokens = new ArrayList<>();
            for (UUID practice : database.seedPractices("Durability bench " + durable, AGENTS)) {
                tokens.add(database.issueToken(practice));
            }
            try (AgentLoad load = AgentLoad.enrol(tokens, controlPlane.grpcUrl().replace("https://", ""), controlPlane.caCertificates(),
                    BATCH, Duration.ZERO).start()) {
                await().pollDelay(WARMUP).atMost(WARMUP.plusSeconds(5)).until(() -> true);
                long before = load.acknowledgedCount();
                load.resetLatencies();
                long started = System.nanoTime();
                await().pollDelay(MEASURED).atMost(MEASURED.plusSeconds(5)).until(() -> true);
                long events = load.acknowledgedCount() - before;
                double seconds = (System.nanoTime() - started) / 1e9;
                LatencyRecorder all = load.latencies();
                load.stop(Duration.ofSeconds(30));
                return String.format("durable=%-5s | %,.0f events/s acknowledged | p50 %.1f ms, p99 %.1f ms per batch | %s", durable,
                        events / seconds, all.percentile(50) / 1e6, all.percentile(99) / 1e6, settings);
            }
        }
    }
}
