package io.rampart.agent.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's result as a few lines of text for stdout. */
final class BenchReport {

    /** How long each setup step took. */
    record SetupTimes(Duration practices, Duration tokens, Duration enrolment) {
        Duration total() {
            return practices.plus(tokens).plus(enrolment);
        }
    }

    private BenchReport() {
    }

    static void print(PrintStream out, BenchOptions options, String runId, SetupTimes setup, LoadDriver.Result result,
            ControlPlaneMemory before, ControlPlaneMemory after) {
        double seconds = result.measured().toNanos() / 1e9;
        LatencyRecorder latencies = result.latencies();
        out.println();
        out.printf("Rampart load benchmark  agents=%d batch=%d duration=%s warmup=%s concurrency=%d channels=%d run=%s%n",
                options.agents(), options.batch(), human(options.duration()), human(options.warmup()),
                options.concurrency(), options.channels(), runId);
        out.printf("setup: %s (practices %s, enrolment tokens %s, gRPC enrolment %s)%n", human(setup.total()),
                human(setup.practices()), human(setup.tokens()), human(setup.enrolment()));
        out.printf("acknowledged events: %d (%.0f events/s), batches: %d (%.1f batches/s) over %.1f s measured%n",
                result.events(), result.events() / seconds, result.batches(), result.batches() / seconds, seconds);
        if (latencies.count() == 0) {
            out.println("ack latency per batch: no batch acknowledged");
        } else {
            out.printf("ack latency per batch: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s%n",
                    ms(latencies.percentile(50)), ms(latencies.percentile(90)), ms(latencies.percentile(99)),
                    ms(latencies.percentile(99.9)), ms(latencies.max()), ms((long) latencies.mean()));
        }
        out.println("errors: " + errors(result.errors()));
        out.printf("warm-up: %d batches discarded (%d failed)%n", result.warmupBatches(), result.warmupErrors());
        out.println("control plane memory before load: " + before.describe());
        out.println("control plane memory after load:  " + after.describe());
    }

    static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        return errors.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + "ms" : String.format("%.1fs", millis / 1000.0);
    }
}
