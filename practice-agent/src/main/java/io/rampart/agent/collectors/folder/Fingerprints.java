package io.rampart.agent.collectors.folder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;

/**
 * The SHA-256 fingerprints the agent took of one folder's backup files, kept in
 * {@code <agent home>/read-back/<check id>.fingerprints} so that they survive restarts: one line per file (tab
 * separated: {@code f}, SHA-256 in hex, size in bytes, modification time, when fingerprinted, when last read back,
 * the problem found ({@code -} for none), when it went missing ({@code -}), the path relative to the folder with
 * tab, newline and backslash escaped, and (from v2) the reads in a row that failed with a read error), and the bytes
 * read on the current UTC day ({@code day <date> <bytes>}).
 * <p>
 * Bounded to fit the agent's heap (the Linux installer gives it {@code -Xmx32m}): at most {@link #MAX_FILES} files,
 * each held compactly in memory (the hash as 32 bytes, times as numbers: some 250 bytes a file with its name, so
 * about 5 MB at the bound), and a file missing from the folder for {@link #KEPT_MISSING_DAYS} days is forgotten (a
 * share that is briefly unmounted must not cost every fingerprint). Saved by streaming line by line through
 * {@link AtomicFile} (temp file, fsync, rename): a crash leaves the previous version, and no copy of the whole file
 * is ever built in memory. The version before the last save is kept as {@code <file>.previous}; a damaged line
 * is filled in from it, and costs only its own file's fingerprint when it cannot be (counted in
 * {@link #damagedLines()}), never the others or the check.
 */
public final class Fingerprints {

    private static final Logger LOG = Logger.getLogger(Fingerprints.class.getName());
    private static final String HEADER = "# Rampart agent: SHA-256 fingerprints of backup files (rewritten by the agent)";
    private static final String VERSION = "v2";
    private static final long NONE = Long.MIN_VALUE;

    /**
     * The most files remembered per check: sized to the agent's 32 MB heap, which also holds the folder's listing,
     * gRPC and the outbox (a 3-year archive of daily backups holds some 1100 files; a file-level copy of a practice's
     * scans can hold tens of thousands, of which this many are fingerprinted and the rest reported as waiting).
     */
    public static final int MAX_FILES = 20_000;
    /** Days a fingerprint of a file no longer in the folder is kept. */
    public static final int KEPT_MISSING_DAYS = 30;

    /**
     * One file as the agent last read it (a view; the store keeps a compact form).
     *
     * @param sha256          lower-case hex of the contents when first read whole (or read again after a change
     *                        of size or date)
     * @param size            the file's size in bytes then
     * @param modifiedAt      the file's modification time then
     * @param fingerprintedAt when the fingerprint was taken (millisecond precision)
     * @param verifiedAt      when the file was last read back whole (millisecond precision)
     * @param problem         empty when it was fine at the last read; else why, in a person's words
     * @param missingSince    when the file was first seen gone from the folder; null while present
     * @param readErrors      reads in a row that failed with a read error (0 after a good read): one is retried,
     *                        only a second one in a row is reported as unreadable
     */
    public record Fingerprint(String file, String sha256, long size, Instant modifiedAt, Instant fingerprintedAt,
            Instant verifiedAt, String problem, Instant missingSince, int readErrors) {

        public Fingerprint(String file, String sha256, long size, Instant modifiedAt, Instant fingerprintedAt,
                Instant verifiedAt, String problem, Instant missingSince) {
            this(file, sha256, size, modifiedAt, fingerprintedAt, verifiedAt, problem, missingSince, 0);
        }

        public boolean matches(long currentSize, Instant currentModifiedAt) {
            return size == currentSize && modifiedAt.equals(currentModifiedAt);
        }

        public Fingerprint verified(Instant at, String newProblem) {
            return new Fingerprint(file, sha256, size, modifiedAt, fingerprintedAt, at, newProblem, null, 0);
        }

        /** A read that failed with a read error: when last read back is left as it was, so the file is read again first. */
        public Fingerprint readError(String why) {
            return new Fingerprint(file, sha256, size, modifiedAt, fingerprintedAt, verifiedAt, why, null, readErrors + 1);
        }

        public Fingerprint missing(Instant since) {
            return new Fingerprint(file, sha256, size, modifiedAt, fingerprintedAt, verifiedAt, problem, since, readErrors);
        }

        public Fingerprint present() {
            return missingSince == null ? this : missing(null);
        }
    }

    /** The compact form kept in memory: no hex string, no Instant objects. */
    private static final class Entry {
        final byte[] sha256;
        final long size;
        final long modifiedSecond;
        final int modifiedNano;
        final long fingerprintedMillis;
        final long verifiedMillis;
        final String problem;
        final long missingMillis;
        final int readErrors;

        Entry(Fingerprint p) {
            sha256 = HexFormat.of().parseHex(p.sha256());
            size = p.size();
            modifiedSecond = p.modifiedAt().getEpochSecond();
            modifiedNano = p.modifiedAt().getNano();
            fingerprintedMillis = p.fingerprintedAt().toEpochMilli();
            verifiedMillis = p.verifiedAt().toEpochMilli();
            problem = p.problem().isEmpty() ? "" : p.problem();
            missingMillis = p.missingSince() == null ? NONE : p.missingSince().toEpochMilli();
            readErrors = p.readErrors();
        }

        Fingerprint view(String file) {
            return new Fingerprint(file, HexFormat.of().formatHex(sha256), size, Instant.ofEpochSecond(modifiedSecond, modifiedNano),
                    Instant.ofEpochMilli(fingerprintedMillis), Instant.ofEpochMilli(verifiedMillis), problem,
                    missingMillis == NONE ? null : Instant.ofEpochMilli(missingMillis), readErrors);
        }
    }

    private final Path file;
    private final Map<String, Entry> byFile = new HashMap<>();
    private LocalDate day;
    private long bytesToday;
    private int damagedLines;

    private Fingerprints(Path file) {
        this.file = file;
    }

    /** Where the fingerprints of check {@code checkId} are kept. */
    public static Path fileFor(AgentHome home, String checkId) {
        return home.directory().resolve("read-back").resolve(checkId.replaceAll("[^A-Za-z0-9._-]", "_") + ".fingerprints");
    }

    /**
     * The fingerprints in {@code file}; none when it does not exist. A line that cannot be parsed is skipped and
     * counted ({@link #damagedLines()}); a read error part-way keeps the lines read before it (logged).
     */
    public static Fingerprints load(Path file) {
        Fingerprints fingerprints = new Fingerprints(file);
        boolean found = fingerprints.read(file);
        Path previous = previousOf(file);
        if ((!found || fingerprints.damagedLines > 0) && Files.exists(previous)) {
            // the copy before the last save stands in for what the current one lost (or for all of it, after a crash
            // between keeping it and writing the new one)
            Fingerprints before = new Fingerprints(file);
            before.read(previous);
            int recovered = 0;
            for (Map.Entry<String, Entry> each : before.byFile.entrySet()) {
                if (fingerprints.byFile.putIfAbsent(each.getKey(), each.getValue()) == null) {
                    recovered++;
                }
            }
            if (fingerprints.day == null) {
                fingerprints.day = before.day;
                fingerprints.bytesToday = before.bytesToday;
            }
            fingerprints.damagedLines = Math.max(0, fingerprints.damagedLines - recovered);
        }
        if (fingerprints.damagedLines > 0) {
            LOG.warning(file + ": " + fingerprints.damagedLines + " damaged line(s) skipped; those files are fingerprinted afresh");
        }
        return fingerprints;
    }

    /** Where the version before the last save is kept. */
    static Path previousOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".previous");
    }

    /** Reads {@code from} into this store; false when it does not exist. Damaged lines are counted. */
    private boolean read(Path from) {
        try (BufferedReader reader = Files.newBufferedReader(from, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                try {
                    parse(line);
                } catch (RuntimeException e) {
                    damagedLines++;
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            damagedLines++;
            LOG.warning("cannot read all of " + from + " (the fingerprints not read are taken afresh): " + e);
            return true;
        }
    }

    private void parse(String line) {
        if (line.isEmpty() || line.startsWith("#") || line.equals("v1") || line.equals(VERSION)) {
            return;
        }
        String[] f = line.split("\t", -1);
        if (f[0].equals("day") && f.length == 3) {
            day = LocalDate.parse(f[1]);
            bytesToday = Long.parseLong(f[2]);
        } else if (f[0].equals("f") && (f.length == 9 || f.length == 10)) {
            if (f[1].length() != 64) {
                throw new IllegalArgumentException("not a SHA-256");
            }
            Fingerprint print = new Fingerprint(unescape(f[8]), f[1], Long.parseLong(f[2]), Instant.parse(f[3]), Instant.parse(f[4]),
                    Instant.parse(f[5]), f[6].equals("-") ? "" : unescape(f[6]), f[7].equals("-") ? null : Instant.parse(f[7]),
                    f.length == 10 ? Integer.parseInt(f[9]) : 0);
            put(print);
        } else {
            throw new IllegalArgumentException("not a fingerprint line");
        }
    }

    public Optional<Fingerprint> get(String relativePath) {
        Entry entry = byFile.get(relativePath);
        return entry == null ? Optional.empty() : Optional.of(entry.view(relativePath));
    }

    /** When {@code relativePath} was last read back, in epoch milliseconds; {@link Long#MIN_VALUE} when not fingerprinted. */
    public long verifiedMillis(String relativePath) {
        Entry entry = byFile.get(relativePath);
        return entry == null ? NONE : entry.verifiedMillis;
    }

    /** Whether the file's last read failed with a read error: it is read again before the rotation's other files. */
    public boolean failedToRead(String relativePath) {
        Entry entry = byFile.get(relativePath);
        return entry != null && entry.readErrors > 0;
    }

    /** The paths fingerprinted (a copy: the store may be changed while it is walked). */
    public List<String> files() {
        return new ArrayList<>(byFile.keySet());
    }

    /** Every fingerprint as a view (builds one object per file: for diagnostics and tests, not the read-back's loop). */
    public List<Fingerprint> all() {
        List<Fingerprint> all = new ArrayList<>(byFile.size());
        byFile.forEach((name, entry) -> all.add(entry.view(name)));
        return all;
    }

    public int size() {
        return byFile.size();
    }

    /**
     * Lines of the saved file that could not be read when it was loaded and that the previous copy
     * ({@code <file>.previous}) could not stand in for: their files' fingerprints were lost.
     */
    public int damagedLines() {
        return damagedLines;
    }

    /** Whether another file may be added ({@link #MAX_FILES}). */
    public boolean full() {
        return byFile.size() >= MAX_FILES;
    }

    public void put(Fingerprint print) {
        byFile.put(print.file(), new Entry(print));
    }

    public void forget(String relativePath) {
        byFile.remove(relativePath);
    }

    /** Bytes read on {@code today} (UTC) so far. */
    public long bytesReadOn(LocalDate today) {
        return today.equals(day) ? bytesToday : 0;
    }

    public void addBytesRead(LocalDate today, long bytes) {
        if (!today.equals(day)) {
            day = today;
            bytesToday = 0;
        }
        bytesToday += bytes;
    }

    /** Writes every fingerprint atomically, line by line; a failure is logged (the next run takes the lost ones again). */
    public void save() {
        try {
            if (Files.exists(file)) {
                // kept until the next save: a damaged line of the new file then costs nothing (see load)
                Files.move(file, previousOf(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            LOG.warning("cannot keep the previous " + file + ": " + e);
        }
        try {
            AtomicFile.write(file, out -> {
                Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                text.write(HEADER + "\n" + VERSION + "\n");
                if (day != null) {
                    text.write("day\t" + day + "\t" + bytesToday + "\n");
                }
                HexFormat hex = HexFormat.of();
                for (Map.Entry<String, Entry> each : byFile.entrySet()) {
                    Entry p = each.getValue();
                    text.write("f\t");
                    text.write(hex.formatHex(p.sha256));
                    text.write('\t');
                    text.write(Long.toString(p.size));
                    text.write('\t');
                    text.write(Instant.ofEpochSecond(p.modifiedSecond, p.modifiedNano).toString());
                    text.write('\t');
                    text.write(Instant.ofEpochMilli(p.fingerprintedMillis).toString());
                    text.write('\t');
                    text.write(Instant.ofEpochMilli(p.verifiedMillis).toString());
                    text.write('\t');
                    text.write(p.problem.isEmpty() ? "-" : escape(p.problem));
                    text.write('\t');
                    text.write(p.missingMillis == NONE ? "-" : Instant.ofEpochMilli(p.missingMillis).toString());
                    text.write('\t');
                    text.write(escape(each.getKey()));
                    text.write('\t');
                    text.write(Integer.toString(p.readErrors));
                    text.write('\n');
                }
                text.flush();
            }, false);
        } catch (IOException e) {
            LOG.warning("cannot write " + file + ": " + e);
        }
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
