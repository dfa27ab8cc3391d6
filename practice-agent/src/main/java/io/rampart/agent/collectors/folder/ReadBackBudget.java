package io.rampart.agent.collectors.folder;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.rampart.protocol.agent.v1.BackupFolderSettings;

/**
 * How much the read-back without a manifest may read: at most {@code bytesPerSecond} while it reads, and at most
 * {@code hoursPerDay} of such reading a day, that is {@link #bytesPerDay()}. The day's bytes are spread over the
 * check's runs ({@link #bytesPerRun}), so that each run reports promptly and no hour of the day takes the NAS whole.
 * From the check's {@link BackupFolderSettings} ({@code read_back_mb_per_second}, {@code read_back_hours_per_day});
 * 0 there means the defaults below, sized for a 3-year archive on a NAS.
 */
public record ReadBackBudget(double bytesPerSecond, double hoursPerDay) {

    /** 50 MB/s: half of what a NAS serves over gigabit Ethernet, so the practice's own use goes on. */
    public static final double DEFAULT_MB_PER_SECOND = 50;
    /** 2 hours a day: 360 GB a day at 50 MB/s; a 3 TB archive is read back in full every 9 days. */
    public static final double DEFAULT_HOURS_PER_DAY = 2;

    public static ReadBackBudget of(BackupFolderSettings settings) {
        double mb = settings.getReadBackMbPerSecond() > 0 ? settings.getReadBackMbPerSecond() : DEFAULT_MB_PER_SECOND;
        double hours = settings.getReadBackHoursPerDay() > 0 ? Math.min(24, settings.getReadBackHoursPerDay()) : DEFAULT_HOURS_PER_DAY;
        return new ReadBackBudget(mb * 1_000_000, hours);
    }

    /** Bytes a day: the rate for the hours. */
    public long bytesPerDay() {
        return (long) Math.min(Long.MAX_VALUE / 2, bytesPerSecond * hoursPerDay * 3600);
    }

    /**
     * The share of the day's bytes for one run of a check run every {@code interval} (all of them for a daily or
     * rarer check). A run starts a file while its share lasts and reads that file to its end.
     */
    public long bytesPerRun(Duration interval) {
        if (interval.isZero() || interval.isNegative() || interval.compareTo(Duration.ofDays(1)) >= 0) {
            return bytesPerDay();
        }
        return Math.max(1, (long) ((double) bytesPerDay() * interval.toMillis() / Duration.ofDays(1).toMillis()));
    }

    /** Megabytes per second as the summary says it: "50 MB/s". */
    public String rate() {
        double mb = bytesPerSecond / 1_000_000;
        return (mb == Math.rint(mb) ? Long.toString((long) mb) : String.valueOf(mb)) + " MB/s";
    }

    /**
     * Keeps reading at or below the budget's rate: after each chunk, waits as long as the bytes read so far are ahead
     * of the rate since the pace started. Time and waiting are given, so that tests move time instead of sleeping.
     */
    public static final class Pace {
        /** Waits this many nanoseconds; throws when interrupted (the agent is stopping). */
        @FunctionalInterface
        public interface Wait {
            void nanos(long nanos) throws InterruptedIOException;
        }

        /** Real time and real waiting. */
        public static final Wait SLEEP = nanos -> {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read-back stopped: the agent is stopping");
            }
        };

        private final double bytesPerSecond;
        private final LongSupplier nanoTime;
        private final Wait wait;
        /** How far reading may fall behind the rate and then catch up at full speed: a second's worth, not a burst. */
        static final long MAX_CREDIT_NANOS = 1_000_000_000L;
        private long started;
        private long bytes;
        private long waitedNanos;

        public Pace(double bytesPerSecond, LongSupplier nanoTime, Wait wait) {
            this.bytesPerSecond = bytesPerSecond;
            this.nanoTime = nanoTime;
            this.wait = wait;
            this.started = nanoTime.getAsLong();
        }

        /** The rate this pace keeps to, in bytes per second. */
        public double bytesPerSecond() {
            return bytesPerSecond;
        }

        /** The budget's rate in real time. */
        public static Pace of(ReadBackBudget budget) {
            return new Pace(budget.bytesPerSecond(), System::nanoTime, SLEEP);
        }

        /** Records {@code read} more bytes and waits if reading is ahead of the rate. */
        public void read(long read) throws InterruptedIOException {
            long now = nanoTime.getAsLong();
            long dueBefore = (long) (bytes / bytesPerSecond * 1e9);
            if (now - started - dueBefore > MAX_CREDIT_NANOS) {
                // slow reads, or time spent elsewhere (opening an archive), bank no more than a second of credit
                started = now - dueBefore - MAX_CREDIT_NANOS;
            }
            bytes += read;
            long due = (long) (bytes / bytesPerSecond * 1e9);
            long ahead = due - (now - started);
            // short waits are not worth a sleep: the next chunk catches up
            if (ahead > 10_000_000L) {
                waitedNanos += ahead;
                wait.nanos(ahead);
            }
        }

        /** Bytes read through this pace. */
        public long bytes() {
            return bytes;
        }

        /** Time spent waiting to keep to the rate. */
        public Duration waited() {
            return Duration.ofNanos(waitedNanos);
        }
    }
}
