package io.rampart.agent.bench;

import java.util.Arrays;

/**
 * Keeps every latency (nanoseconds) it is given, so percentiles are exact rather than bucketed.
 * One recorder per worker thread (it is not thread-safe); {@link #merge} combines them at the end.
 * A 30 s run of 100,000 batches/s holds 3 million longs (24 MB): affordable for a benchmark.
 */
public final class LatencyRecorder {

    private long[] values = new long[1024];
    private int count;
    private boolean sorted = true;

    public void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
        sorted = false;
    }

    public void merge(LatencyRecorder other) {
        if (count + other.count > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, count + other.count));
        }
        System.arraycopy(other.values, 0, values, count, other.count);
        count += other.count;
        sorted = false;
    }

    public int count() {
        return count;
    }

    /**
     * The smallest recorded value such that at least {@code percentile}% of the values are at or
     * below it (nearest-rank); 0 when nothing was recorded.
     */
    public long percentile(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be between 0 and 100: " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        sort();
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return values[Math.max(rank, 1) - 1];
    }

    public long max() {
        if (count == 0) {
            return 0;
        }
        sort();
        return values[count - 1];
    }

    public double mean() {
        if (count == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return sum / count;
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
    }
}
