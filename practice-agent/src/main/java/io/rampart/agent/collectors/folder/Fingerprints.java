package io.rampart.agent.collectors.folder;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
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
 * tab, newline and backslash escaped), and the bytes read on the current UTC day ({@code day <date> <bytes>}).
 * <p>
 * Bounded: at most {@link #MAX_FILES} files (about 200 bytes each), and a file missing from the folder for
 * {@link #KEPT_MISSING_DAYS} days is forgotten (a share that is briefly unmounted must not cost every fingerprint).
 * Written whole with {@link AtomicFile}: a crash leaves the previous version. A damaged or unreadable file costs the
 * fingerprints (they are taken again), never the check.
 */
public final class Fingerprints {

    private static final Logger LOG = Logger.getLogger(Fingerprints.class.getName());
    private static final String HEADER = "# Rampart agent: SHA-256 fingerprints of backup files (rewritten by the agent)";
    private static final String VERSION = "v1";

    /** The most files remembered per check (a 3-year archive of daily backups holds some 1100). */
    public static final int MAX_FILES = 200_000;
    /** Days a fingerprint of a file no longer in the folder is kept. */
    public static final int KEPT_MISSING_DAYS = 30;

    /**
     * One file as the agent last read it.
     *
     * @param sha256          lower-case hex of the contents when first read whole (or read again after a change
     *                        of size or date)
     * @param modifiedAt      the file's modification time then
     * @param problem         empty when it was fine at the last read; else why, in a person's words
     * @param missingSince    when the file was first seen gone from the folder; null while present
     */
    public record Fingerprint(String file, String sha256, long size, Instant modifiedAt, Instant fingerprintedAt,
            Instant verifiedAt, String problem, Instant missingSince) {

        public boolean matches(long currentSize, Instant currentModifiedAt) {
            return size == currentSize && modifiedAt.equals(currentModifiedAt);
        }

        public Fingerprint verified(Instant at, String newProblem) {
            return new Fingerprint(file, sha256, size, modifiedAt, fingerprintedAt, at, newProblem, null);
        }

        public Fingerprint missing(Instant since) {
            return new Fingerprint(file, sha256, size, modifiedAt, fingerprintedAt, verifiedAt, problem, since);
        }

        public Fingerprint present() {
            return missingSince == null ? this : missing(null);
        }
    }

    private final Path file;
    private final Map<String, Fingerprint> byFile = new LinkedHashMap<>();
    private LocalDate day;
    private long bytesToday;

    private Fingerprints(Path file) {
        this.file = file;
    }

    /** Where the fingerprints of check {@code checkId} are kept. */
    public static Path fileFor(AgentHome home, String checkId) {
        return home.directory().resolve("read-back").resolve(checkId.replaceAll("[^A-Za-z0-9._-]", "_") + ".fingerprints");
    }

    /** The fingerprints in {@code file}; none when it does not exist or cannot be read (logged). */
    public static Fingerprints load(Path file) {
        Fingerprints fingerprints = new Fingerprints(file);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                fingerprints.parse(line);
            }
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot read " + file + " (fingerprints are taken afresh): " + e);
            fingerprints.byFile.clear();
        }
        return fingerprints;
    }

    private void parse(String line) {
        if (line.isEmpty() || line.startsWith("#") || line.equals(VERSION)) {
            return;
        }
        String[] f = line.split("\t", -1);
        if (f[0].equals("day") && f.length == 3) {
            day = LocalDate.parse(f[1]);
            bytesToday = Long.parseLong(f[2]);
        } else if (f[0].equals("f") && f.length == 9) {
            Fingerprint print = new Fingerprint(unescape(f[8]), f[1], Long.parseLong(f[2]), Instant.parse(f[3]), Instant.parse(f[4]),
                    Instant.parse(f[5]), f[6].equals("-") ? "" : unescape(f[6]), f[7].equals("-") ? null : Instant.parse(f[7]));
            byFile.put(print.file(), print);
        }
    }

    public Optional<Fingerprint> get(String relativePath) {
        return Optional.ofNullable(byFile.get(relativePath));
    }

    public Collection<Fingerprint> all() {
        return byFile.values();
    }

    public int size() {
        return byFile.size();
    }

    /** Whether another file may be added ({@link #MAX_FILES}). */
    public boolean full() {
        return byFile.size() >= MAX_FILES;
    }

    public void put(Fingerprint print) {
        byFile.put(print.file(), print);
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

    /** Writes every fingerprint atomically; a failure is logged (the next run takes the lost ones again). */
    public void save() {
        StringBuilder text = new StringBuilder(64 + byFile.size() * 200);
        text.append(HEADER).append('\n').append(VERSION).append('\n');
        if (day != null) {
            text.append("day\t").append(day).append('\t').append(bytesToday).append('\n');
        }
        for (Fingerprint p : byFile.values()) {
            text.append("f\t").append(p.sha256()).append('\t').append(p.size()).append('\t').append(p.modifiedAt()).append('\t')
                    .append(p.fingerprintedAt()).append('\t').append(p.verifiedAt()).append('\t')
                    .append(p.problem().isEmpty() ? "-" : escape(p.problem())).append('\t')
                    .append(p.missingSince() == null ? "-" : p.missingSince().toString()).append('\t')
                    .append(escape(p.file())).append('\n');
        }
        try {
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
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
