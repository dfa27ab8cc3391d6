package io.rampart.agent.bench;

import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.protocol.agent.v1.AgentConfiguration;

/**
 * Load benchmark of the control plane's event intake: enrols N simulated agents (one new practice
 * each, in the first group) and lets them report batches of events over a few shared gRPC
 * channels, then prints throughput, acknowledgement latency, errors and the control plane's memory.
 *
 * <pre>java -cp practice-agent-bench/target/rampart-agent-bench.jar io.rampart.agent.bench.LoadBenchmark --agents 1000 [--duration 30s] ...</pre>
 *
 * Exit status: 0 when the benchmark ran (even with failed calls, which it counts), 2 when the control
 * plane is unreachable, 1 when setup failed otherwise, 64 for a bad command line.
 */
public final class LoadBenchmark {

    static final int EXIT_RAN = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_UNREACHABLE = 2;
    static final int EXIT_USAGE = 64;

    private static final int MAX_SETUP_PARALLELISM = 32;

    private LoadBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                err.println("error: " + e.getMessage());
            }
            err.print(BenchOptions.USAGE);
            return e.getMessage().isEmpty() ? EXIT_RAN : EXIT_USAGE;
        }
        try {
            return benchmark(options, out, err);
        } catch (ControlPlaneUnreachable e) {
            err.println("error: " + e.getMessage());
            return EXIT_UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static int benchmark(BenchOptions options, PrintStream out, PrintStream err) throws InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<ManagedChannel> channels = new ArrayList<>();
        List<SimulatedAgent> agents = List.of();
        try (BenchFleet fleet = new BenchFleet(options.http(), Math.min(options.concurrency(), MAX_SETUP_PARALLELISM))) {
            // the demo realm's provider admin, unless told otherwise
            fleet.signIn(System.getenv().getOrDefault("RAMPART_BENCH_USER", "alice"),
                    System.getenv().getOrDefault("RAMPART_BENCH_PASSWORD", "rampart-demo"));
            BenchFleet.Group group = fleet.firstGroup();
            err.printf("run %s: adding %d practices to group '%s' (%s) at %s%n", runId, options.agents(), group.name(),
                    group.id(), options.http());

            long t0 = System.nanoTime();
            List<String> practiceIds = fleet.createPractices(group, runId, options.agents());
            long t1 = System.nanoTime();
            List<BenchFleet.Ticket> tickets = fleet.issueTokens(practiceIds);
            long t2 = System.nanoTime();
            List<X509Certificate> ca = fleet.agentCa();
            for (int i = 0; i < options.channels(); i++) {
                channels.add(Grpc.newChannelBuilder(options.grpc(), SimulatedAgent.trusting(ca)).build());
            }
            err.printf("enrolling %d agents at %s, each with its own key pair, certificate and TLS connection%n", options.agents(),
                    options.grpc());
            agents = fleet.inParallel(tickets.size(), i -> enrol(tickets.get(i),
                    channels.get(i % channels.size()), options.grpc(), ca));
            long t3 = System.nanoTime();
            BenchReport.SetupTimes setup = new BenchReport.SetupTimes(Duration.ofNanos(t1 - t0),
                    Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2));
            err.printf("setup took %s%n", BenchReport.human(setup.total()));

            checkBatchSize(agents.get(0), options.batch(), err);

            ControlPlaneMemory before = ControlPlaneMemory.sample(options.metrics());
            err.printf("load: %s warm-up, then %s measured, %d calls in flight at most%n",
                    BenchReport.human(options.warmup()), BenchReport.human(options.duration()), options.concurrency());
            LoadDriver.Result result = new LoadDriver(agents, options.batch(), options.concurrency(), err)
                    .run(options.warmup(), options.duration());
            ControlPlaneMemory after = ControlPlaneMemory.sample(options.metrics());

            BenchReport.print(out, options, runId, setup, result, before, after);
            return EXIT_RAN;
        } finally {
            agents.forEach(SimulatedAgent::close);
            channels.forEach(ManagedChannel::shutdownNow);
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static SimulatedAgent enrol(BenchFleet.Ticket ticket, ManagedChannel channel, String target, List<X509Certificate> ca) {
        try {
            return SimulatedAgent.enrol(ticket, channel, target, ca);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                throw new ControlPlaneUnreachable("the control plane's gRPC port is unreachable at " + target + " ("
                        + e.getStatus().getDescription() + ")", e);
            }
            throw new IllegalStateException("enrolment of bench-" + ticket.index() + " failed: " + e.getStatus(), e);
        }
    }

    /** A batch larger than the control plane accepts would make every call fail: say so before the run. */
    private static void checkBatchSize(SimulatedAgent agent, int batch, PrintStream err) {
        try {
            AgentConfiguration configuration = agent.configuration();
            int max = configuration.getMaxBatchSize();
            if (max > 0 && batch > max) {
                throw new IllegalStateException("--batch " + batch + " exceeds the control plane's max_batch_size of "
                        + max + "; every ReportEvents call would be refused");
            }
        } catch (StatusRuntimeException e) {
            err.println("warning: GetConfiguration failed (" + e.getStatus() + "); cannot check --batch against max_batch_size");
        }
    }
}
