package io.rampart.agent.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import io.rampart.protocol.agent.v1.ReportEventsRequest;
import io.rampart.protocol.agent.v1.ReportEventsResponse;

/**
 * Drives the load: {@code concurrency} worker threads take an idle agent from a shared queue, let
 * it send one batch (blocking until acknowledged), record the latency and put the agent back. So
 * at most {@code concurrency} batches are in flight, and each agent has at most one, as a real
 * agent would. Failures are counted by gRPC status code and never stop the run; results of calls
 * that started during the warm-up are discarded.
 */
final class LoadDriver {

    /** What the measured part of the run produced. */
    record Result(LatencyRecorder latencies, long batches, long events, Map<String, Long> errors,
            long warmupBatches, long warmupErrors, Duration measured) {
    }

    private static final long PAUSE_AFTER_ERROR_MS = 50;

    private final List<SimulatedAgent> agents;
    private final int batchSize;
    private final int concurrency;
    private final PrintStream progress;
    private final LongAdder liveEvents = new LongAdder();
    private final LongAdder liveErrors = new LongAdder();

    LoadDriver(List<SimulatedAgent> agents, int batchSize, int concurrency, PrintStream progress) {
        this.agents = agents;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
        this.progress = progress;
    }

    Result run(Duration warmup, Duration duration) throws InterruptedException {
        LinkedBlockingQueue<SimulatedAgent> idle = new LinkedBlockingQueue<>(agents);
        long start = System.nanoTime();
        long warmupEnd = start + warmup.toNanos();
        long end = warmupEnd + duration.toNanos();

        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Worker worker = new Worker(idle, warmupEnd, end);
            Thread thread = new Thread(worker, "bench-worker-" + i);
            thread.setDaemon(true);
            workers.add(worker);
            threads.add(thread);
            thread.start();
        }
        Thread reporter = startProgress(start, warmupEnd, end);
        for (Thread thread : threads) {
            thread.join();
        }
        long finished = System.nanoTime();
        reporter.interrupt();

        LatencyRecorder latencies = new LatencyRecorder();
        long batches = 0;
        long events = 0;
        long warmupBatches = 0;
        long warmupErrors = 0;
        Map<String, Long> errors = new TreeMap<>();
        for (Worker worker : workers) {
            latencies.merge(worker.latencies);
            batches += worker.batches;
            events += worker.events;
            warmupBatches += worker.warmupBatches;
            warmupErrors += worker.warmupErrors;
            worker.errors.forEach((code, count) -> errors.merge(code, count, Long::sum));
        }
        Duration measured = Duration.ofNanos(Math.max(finished - Math.max(warmupEnd, start), 1));
        return new Result(latencies, batches, events, errors, warmupBatches, warmupErrors, measured);
    }

    private Thread startProgress(long start, long warmupEnd, long end) {
        Thread reporter = new Thread(() -> {
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(5);
                    long now = System.nanoTime();
                    String phase = now < warmupEnd ? "warm-up" : now < end ? "measuring" : "draining";
                    progress.printf("  [%3ds %s] acknowledged events %d, errors %d%n",
                            TimeUnit.NANOSECONDS.toSeconds(now - start), phase, liveEvents.sum(), liveErrors.sum());
                }
            } catch (InterruptedException e) {
                // run over
            }
        }, "bench-progress");
        reporter.setDaemon(true);
        reporter.start();
        return reporter;
    }

    private final class Worker implements Runnable {
        private final LinkedBlockingQueue<SimulatedAgent> idle;
        private final long warmupEnd;
        private final long end;
        final LatencyRecorder latencies = new LatencyRecorder();
        final Map<String, Long> errors = new TreeMap<>();
        long batches;
        long events;
        long warmupBatches;
        long warmupErrors;

        Worker(LinkedBlockingQueue<SimulatedAgent> idle, long warmupEnd, long end) {
            this.idle = idle;
            this.warmupEnd = warmupEnd;
            this.end = end;
        }

        @Override
        public void run() {
            while (System.nanoTime() < end) {
                SimulatedAgent agent;
                try {
                    agent = idle.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (agent == null) {
                    continue;
                }
                try {
                    sendOne(agent);
                } finally {
                    idle.add(agent);
                }
            }
        }

        private void sendOne(SimulatedAgent agent) {
            ReportEventsRequest batch = agent.nextBatch(batchSize);
            long sent = System.nanoTime();
            if (sent >= end) {
                return;
            }
            boolean measured = sent >= warmupEnd;
            String error = null;
            int acknowledged = 0;
            try {
                ReportEventsResponse response = agent.report(batch);
                acknowledged = response.getAcknowledgedEventIdsCount();
                if (acknowledged != batch.getEventsCount()) {
                    error = "INCOMPLETE_ACK";
                }
            } catch (StatusRuntimeException e) {
                error = e.getStatus().getCode().name();
            } catch (RuntimeException e) {
                error = Status.fromThrowable(e).getCode() == Status.Code.UNKNOWN
                        ? "CLIENT_" + e.getClass().getSimpleName() : Status.fromThrowable(e).getCode().name();
            }
            long latency = System.nanoTime() - sent;
            liveEvents.add(acknowledged);
            if (measured) {
                events += acknowledged;
                if (acknowledged > 0) {
                    batches++;
                    latencies.record(latency);
                }
                if (error != null) {
                    errors.merge(error, 1L, Long::sum);
                }
            } else {
                warmupBatches++;
                if (error != null) {
                    warmupErrors++;
                }
            }
            if (error != null) {
                liveErrors.increment();
                pauseAfterError();
            }
        }

        private void pauseAfterError() {
            try {
                TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_ERROR_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
