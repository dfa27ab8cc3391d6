package io.rampart.controlplane.faults;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.Timestamp;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;

import io.rampart.agent.bench.SimulatedAgent;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;

/**
 * A modest steady load from the load benchmark's simulated agents (each with its own certificate
 * and mutual-TLS connection): every agent sends a batch of {@code batch} new events every
 * {@code every}, and, as a real agent's outbox does, sends the same batch (same event ids) again
 * until it is acknowledged. So every id in {@link #acknowledged()} was acknowledged to an agent, and
 * a batch that reached Kafka but whose answer was lost is sent again: the test of "never doubled".
 */
final class AgentLoad implements AutoCloseable {

    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(500);

    private final List<SimulatedAgent> agents;
    private final List<ManagedChannel> channels;
    private final int batch;
    private final Duration every;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong failedCalls = new AtomicLong();
    private io.rampart.agent.bench.LatencyRecorder latencies = new io.rampart.agent.bench.LatencyRecorder();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile Duration patience = Duration.ofMinutes(2);

    private AgentLoad(List<SimulatedAgent> agents, List<ManagedChannel> channels, int batch, Duration every) {
        this.agents = agents;
        this.channels = channels;
        this.batch = batch;
        this.every = every;
    }

    /** Enrols one simulated agent per token through {@code grpcTarget} (host:port) and keeps the channels for closing. */
    static AgentLoad enrol(List<String> tokens, String grpcTarget, List<X509Certificate> ca, int batch, Duration every) {
        ManagedChannel enrolment = Grpc.newChannelBuilder(grpcTarget, SimulatedAgent.trusting(ca)).build();
        // four at a time: each makes a key pair and has a certificate signed, seconds on a busy machine
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
        try {
            List<SimulatedAgent> agents = pool.submit(() -> java.util.stream.IntStream.range(0, tokens.size()).parallel()
                    .mapToObj(i -> SimulatedAgent.enrol(i, tokens.get(i), enrolment, grpcTarget, ca)).toList()).get();
            return new AgentLoad(agents, List.of(enrolment), batch, every);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enrolling", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("enrolling the simulated agents failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** Starts one thread per agent. */
    AgentLoad start() {
        for (SimulatedAgent agent : agents) {
            Thread thread = new Thread(() -> drive(agent), "fault-load-" + agent.practiceId());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void drive(SimulatedAgent agent) {
        while (!stopping) {
            deliver(agent, agent.nextBatch(batch));
            if (!every.isZero()) {
                pause(every);
            }
        }
    }

    /**
     * Sends {@code request} until it is acknowledged, or the patience given to stop() ran out.
     *
     * @return whether it was acknowledged
     */
    private boolean deliver(SimulatedAgent agent, ReportEventsRequest request) {
        long giveUpAt = Long.MAX_VALUE;
        while (true) {
            try {
                long sent = System.nanoTime();
                ReportEventsResponse response = agent.report(request);
                long latency = System.nanoTime() - sent;
                synchronized (this) {
                    latencies.record(latency);
                }
                acknowledged.addAll(response.getAcknowledgedEventIdsList());
                return true;
            } catch (RuntimeException e) {
                failedCalls.incrementAndGet();
                if (stopping && giveUpAt == Long.MAX_VALUE) {
                    giveUpAt = System.nanoTime() + patience.toNanos();
                }
                if (System.nanoTime() > giveUpAt) {
                    return false;
                }
                pause(PAUSE_AFTER_FAILURE);
            }
        }
    }

    /**
     * Sends, from the first agent, a NAS copy whose newest file is 40 hours old (the seeded rule
     * allows 26 h), so that the practice's NAS copy rule fails and an alert opens.
     */
    static void reportStaleCopy(SimulatedAgent agent) {
        Instant now = Instant.now();
        Timestamp at = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
        ReportEventsRequest request = ReportEventsRequest.newBuilder()
                .addEvents(AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(agent.practiceId())
                        .setOccurredAt(at).setHeartbeat(Heartbeat.newBuilder().setAgentVersion("bench").setHostname("alarm")))
                .addEvents(AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(agent.practiceId())
                        .setOccurredAt(at).setCheckResult(CheckResult.newBuilder().setCheckId("nas-copy")
                                .setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER).setStatus(CheckStatus.CHECK_STATUS_FAIL)
                                .setSummary("newest backup practice-db.bak is 40 hours old (fault-injection suite)")
                                .setBackupFolder(BackupFolderObservation.newBuilder().setPath("/nas/backups").setFileCount(3)
                                        .setTotalSizeBytes(3_000_000).setNewestFile("practice-db.bak")
                                        .setNewestModifiedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 40 * 3600))
                                        .setNewestSizeBytes(1_000_000))))
                .build();
        agent.report(request);
    }

    List<SimulatedAgent> agents() {
        return agents;
    }

    List<String> practiceIds() {
        return agents.stream().map(SimulatedAgent::practiceId).toList();
    }

    /** Ids of every event acknowledged so far. */
    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    /** Acknowledgement latency of each successful ReportEvents call, in nanoseconds. */
    void resetLatencies() {
        synchronized (this) {
            latencies = new io.rampart.agent.bench.LatencyRecorder();
        }
    }

    io.rampart.agent.bench.LatencyRecorder latencies() {
        synchronized (this) {
            io.rampart.agent.bench.LatencyRecorder copy = new io.rampart.agent.bench.LatencyRecorder();
            copy.merge(latencies);
            return copy;
        }
    }

    long failedCalls() {
        return failedCalls.get();
    }

    /** No new batches; a batch in flight is still sent until acknowledged or {@code patience} has passed. */
    void stop(Duration patience) throws InterruptedException {
        this.patience = patience;
        stopping = true;
        for (Thread thread : threads) {
            thread.join(patience.toMillis() + 70_000);
        }
    }

    private static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        agents.forEach(SimulatedAgent::close);
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
