package io.rampart.agent.collectors.folder;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.rampart.agent.collectors.folder.Fingerprints.Fingerprint;

/**
 * Read-back of a folder without a {@code SHA256SUMS} manifest: the agent fingerprints (SHA-256) each backup file the
 * first time it reads it whole, and re-reads a rotating share of the fingerprinted files, least recently read first,
 * within the check's {@link ReadBackBudget}. New backups come first. Each file read is also opened where a tool can
 * verify its format ({@link FileStructure}).
 * <p>
 * A file whose size and modification time are what they were when fingerprinted but whose SHA-256 is not is
 * corrupt (bit rot, a failing disk or RAID): reported naming the file until it is replaced, restored or deleted. A
 * file whose size or modification time changed was written again (a backup rewritten in place): it is fingerprinted
 * again, never called corrupt. A file modified within {@link #SETTLE} is still being written and waits; so does one
 * whose size or time changes while it is read. Problems found are kept with the fingerprint and reported on every
 * run until the file is read back fine or replaced.
 */
public final class FingerprintReadBack {

    /** A file modified more recently than this may still be being written by the backup job. */
    public static final Duration SETTLE = Duration.ofMinutes(5);
    /** During a long run, fingerprints taken so far are written this often, so a crash loses little reading. */
    private static final long CHECKPOINT_NANOS = Duration.ofMinutes(10).toNanos();

    /** A backup file as listed: path relative to the folder with '/' separators, size in bytes, modification time. */
    public record Listed(String file, long size, Instant modifiedAt) {
    }

    /** How {@link #corruption} words begin: the one place that tells a rotted file from a damaged or unreadable one. */
    static final String CORRUPTED = "corrupted: ";

    /** A file to report, with why in a person's words. */
    public record Problem(String file, String reason) {
        /** Whether the file's contents changed under the same size and date (bit rot), not damage or a read error. */
        public boolean corrupted() {
            return reason.startsWith(CORRUPTED);
        }

        @Override
        public String toString() {
            return file + " (" + reason + ")";
        }
    }

    /**
     * What one run did and found.
     *
     * @param filesVerified      fingerprinted files read again in this run whose contents matched
     * @param bytesRead          bytes read in this run (a file opened as an archive or dump counts twice)
     * @param filesFingerprinted files fingerprinted in this run (new, or written again)
     * @param rewritten          of those, files that had a fingerprint but whose size or date had changed
     * @param awaiting           backup files still without a fingerprint
     * @param archivesOpened     archives and dumps a tool read through in this run
     * @param archiveEntries     entries of those read
     * @param problems           every file whose last read found it corrupt or damaged, or that failed to read twice in a row
     * @param retrying           files whose last read failed once with a read error: read again first on the next run,
     *                           not yet reported as unreadable
     * @param notVerified        what could not be verified in this run, naming the file, with why
     * @param oldestVerifiedAt   when the least recently read fingerprinted file was last read; empty when none
     * @param budgetLeftToday    bytes that may still be read today (UTC)
     * @param held               why reading was held back in this run ("the backup window is open"); empty when not
     * @param fingerprintsKept   files fingerprinted in the store after this run
     * @param fingerprintsLost   lines of the fingerprint file that were damaged when it was loaded: those files'
     *                           fingerprints were lost and are taken afresh
     */
    public record Outcome(long filesVerified, long bytesRead, long filesFingerprinted, long rewritten, long awaiting,
            long archivesOpened, long archiveEntries, List<Problem> problems, List<Problem> retrying, List<String> notVerified,
            Optional<Instant> oldestVerifiedAt, long budgetLeftToday, Optional<String> held, int fingerprintsKept, int fingerprintsLost) {
    }

    private final Path folder;
    private final Fingerprints store;
    private final ReadBackBudget budget;
    private final ReadBackBudget.Pace pace;
    private final String pgRestore;

    /**
     * @param pgRestore the pg_restore to open PostgreSQL custom dumps with
     */
    public FingerprintReadBack(Path folder, Fingerprints store, ReadBackBudget budget, ReadBackBudget.Pace pace, String pgRestore) {
        this.folder = folder;
        this.store = store;
        this.budget = budget;
        this.pace = pace;
        this.pgRestore = pgRestore;
    }

    /**
     * One run: fingerprints new files, re-reads the least recently read ones while this run's share of the budget
     * lasts, and saves the fingerprints.
     *
     * @param listed   the backup files in the folder now
     * @param interval how often the check runs (its share of the day's budget)
     * @param hold     why no file may be read now (the backup window); empty to read
     */
    public Outcome run(List<Listed> listed, Instant now, Duration interval, Optional<String> hold) {
        return run(listed, now, interval, hold, Optional::empty);
    }

    /**
     * Like {@link #run(List, Instant, Duration, Optional)}, and {@code holdNow} is asked again before each file: when
     * it gives a reason (the backup window has opened during a long read), no further file is started in this run.
     */
    public Outcome run(List<Listed> listed, Instant now, Duration interval, Optional<String> hold,
            java.util.function.Supplier<Optional<String>> holdNow) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        remember(listed, now);
        long left = Math.min(budget.bytesPerRun(interval), budget.bytesPerDay() - store.bytesReadOn(today));

        List<Listed> fresh = new ArrayList<>();
        List<Listed> known = new ArrayList<>();
        for (Listed file : listed) {
            Optional<Fingerprint> print = store.get(file.file());
            if (print.isPresent() && print.get().matches(file.size(), file.modifiedAt())) {
                known.add(file);
            } else if (!file.modifiedAt().isAfter(now.minus(SETTLE))) {
                fresh.add(file);
            }
        }
        // files whose last read failed with a read error first (a share that dropped for a moment must not wait a whole
        // rotation), then the least recently read: over the days the rotation reaches every file
        known.sort(Comparator.comparing((Listed f) -> !store.failedToRead(f.file())).thenComparingLong((Listed f) -> store.verifiedMillis(f.file()))
                .thenComparing(Listed::file));

        Counts counts = new Counts();
        List<Problem> readErrors = new ArrayList<>();
        long checkpoint = System.nanoTime();
        boolean stopped = false;
        if (hold.isEmpty()) {
            List<Listed> queue = new ArrayList<>(fresh);
            queue.addAll(known);
            long readThisRun = 0;
            for (Listed file : queue) {
                Optional<String> heldNow = left > 0 ? holdNow.get() : Optional.empty();
                if (heldNow.isPresent()) {
                    counts.notVerified.add("reading stopped for this run: " + heldNow.get());
                    break;
                }
                // a file that does not fit what is left waits for a later run, unless it is the run's first: a backup
                // larger than a run's share is still read, and the day's budget carries the excess
                if (left <= 0 || (readThisRun > 0 && file.size() > left) || (store.full() && store.get(file.file()).isEmpty())) {
                    continue;
                }
                long read;
                try {
                    read = read(file, now, counts, readErrors);
                } catch (InterruptedIOException e) {
                    // the agent is stopping: nothing about this file is stored or reported
                    stopped = true;
                    break;
                }
                left -= read;
                readThisRun += read;
                store.addBytesRead(today, read);
                if (System.nanoTime() - checkpoint > CHECKPOINT_NANOS) {
                    store.save();
                    checkpoint = System.nanoTime();
                }
            }
        }

        List<Problem> problems = new ArrayList<>();
        List<Problem> retrying = new ArrayList<>(readErrors);
        long awaiting = 0;
        Instant oldest = null;
        for (Listed file : listed) {
            Optional<Fingerprint> print = store.get(file.file()).filter(p -> p.matches(file.size(), file.modifiedAt()));
            if (print.isEmpty()) {
                awaiting += readErrors.stream().anyMatch(p -> p.file().equals(file.file())) ? 0 : 1;
                continue;
            }
            if (print.get().readErrors() == 1) {
                // one failed read may be a share that dropped for a moment: read again on the next run, before the rest
                retrying.add(new Problem(file.file(), print.get().problem()));
            } else if (!print.get().problem().isEmpty()) {
                problems.add(new Problem(file.file(), print.get().problem()));
            }
            oldest = oldest == null || print.get().verifiedAt().isBefore(oldest) ? print.get().verifiedAt() : oldest;
        }
        if (!stopped) {
            store.save();
        }
        return new Outcome(counts.verified, counts.bytes, counts.fingerprinted, counts.rewritten, awaiting, counts.archives,
                counts.entries, problems, retrying, counts.notVerified, Optional.ofNullable(oldest),
                Math.max(0, budget.bytesPerDay() - store.bytesReadOn(today)), hold, store.size(), store.damagedLines());
    }

    private static final class Counts {
        long verified;
        long bytes;
        long fingerprinted;
        long rewritten;
        long archives;
        long entries;
        final List<String> notVerified = new ArrayList<>();
    }

    /** Marks fingerprints of files gone from the folder, forgets them after a while, and un-marks files back. */
    private void remember(List<Listed> listed, Instant now) {
        Set<String> present = new HashSet<>();
        listed.forEach(file -> present.add(file.file()));
        for (String name : store.files()) {
            Fingerprint print = store.get(name).orElseThrow();
            if (present.contains(print.file())) {
                if (print.missingSince() != null) {
                    store.put(print.present());
                }
                continue;
            }
            if (print.missingSince() == null) {
                store.put(print.missing(now));
            } else if (print.missingSince().isBefore(now.minus(Duration.ofDays(Fingerprints.KEPT_MISSING_DAYS)))) {
                store.forget(print.file());
            }
        }
    }

    /** Reads one file whole (and opens it when its format can be verified); the bytes read. */
    private long read(Listed file, Instant now, Counts counts, List<Problem> readErrors) throws InterruptedIOException {
        Path path;
        try {
            path = folder.resolve(file.file());
        } catch (InvalidPathException e) {
            // a name the JVM's file-name encoding cannot map back (no UTF-8 locale): the other files are still read
            counts.notVerified.add(file.file() + ": the name cannot be opened in the agent's locale (" + System.getProperty("sun.jnu.encoding")
                    + "); run the agent with LANG=C.UTF-8");
            return 0;
        }
        Optional<Fingerprint> before = store.get(file.file()).filter(p -> p.matches(file.size(), file.modifiedAt()));
        long bytes = 0;
        String sha256;
        FileStructure.Result structure;
        try {
            sha256 = sha256(path, pace);
            bytes += file.size();
            structure = FileStructure.check(path, file.file(), pgRestore);
            if (structure.opened()) {
                bytes += file.size();
            }
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("read-back stopped: the agent is stopping");
            }
            String why = "read error: " + describe(e) + " (the disk or share could not read it back)";
            if (before.isPresent()) {
                // kept as it was, with when it was last read: a first read error is read again first on the next run
                store.put(before.get().readError(why));
            } else {
                readErrors.add(new Problem(file.file(), why));
            }
            return bytes;
        }
        counts.bytes += bytes;
        if (changedWhileRead(path, file)) {
            // still being written, or rewritten just now: fingerprinted on a later run
            return bytes;
        }
        String damage = structure.damage().orElse("");
        if (structure.opened() && damage.isEmpty()) {
            counts.archives++;
            counts.entries += structure.entries();
        }
        if (damage.isEmpty()) {
            structure.notVerified().forEach(why -> counts.notVerified.add(file.file() + ": " + why));
        }
        if (before.isEmpty()) {
            if (store.get(file.file()).isPresent()) {
                counts.rewritten++;
            }
            counts.fingerprinted++;
            store.put(new Fingerprint(file.file(), sha256, file.size(), file.modifiedAt(), now, now, damage, null));
        } else if (!sha256.equals(before.get().sha256())) {
            store.put(before.get().verified(now, corruption(before.get())));
        } else {
            counts.verified++;
            store.put(before.get().verified(now, damage));
        }
        return bytes;
    }

    /** The words for a file that changed while its size and date did not. */
    static String corruption(Fingerprint print) {
        return CORRUPTED + "its contents changed although its size and date did not (SHA-256 differs from the fingerprint taken "
                + LocalDate.ofInstant(print.fingerprintedAt(), ZoneOffset.UTC) + "); the disk or NAS is damaging stored data: check its "
                + "disk health (SMART, RAID scrub) and restore this file from another copy";
    }

    private static boolean changedWhileRead(Path path, Listed file) {
        try {
            BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class);
            return after.size() != file.size() || !after.lastModifiedTime().toInstant().equals(file.modifiedAt());
        } catch (IOException e) {
            return true;
        }
    }

    /** SHA-256 of the whole file in hex, read at the pace's rate ({@link Sha256}). */
    public static String sha256(Path file, ReadBackBudget.Pace pace) throws IOException {
        return Sha256.of(file, pace);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
