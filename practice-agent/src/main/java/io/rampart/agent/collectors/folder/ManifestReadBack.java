package io.rampart.agent.collectors.folder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Full read-back of a backup folder: every file the {@code SHA256SUMS} manifest lists (sha256sum
 * format, {@code <hex>  <relative path>}) is read to its last byte and hashed; zip and tar archives
 * (plain, .tar.gz, .tar.bz2, .tar.xz), 7z archives and single gzip, bzip2 or xz files are also opened and every
 * entry read ({@link ArchiveReadBack}), PostgreSQL custom dumps with pg_restore ({@link FileStructure}), so a damaged archive is found even when its bytes are exactly the ones
 * that were written, and the reason names the damaged entry. Other files (.bak, .rar, .tar.zst, ...) are
 * compared byte for byte only.
 */
public final class ManifestReadBack {

    public static final String MANIFEST = "SHA256SUMS";

    private ManifestReadBack() {
    }

    /** A file that failed, and why in a person's words ("checksum mismatch", "missing"). */
    public record Unreadable(String file, String reason) {
        @Override
        public String toString() {
            return file + " (" + reason + ")";
        }
    }

    /**
     * @param notVerified archive entries whose contents could not be checked (an encrypted zip entry, a compression
     *                    method the agent does not read), as "{@code file: entry 'x' is encrypted: ...}"; their
     *                    archive still matched its manifest checksum and is not damaged
     */
    public record Outcome(long filesVerified, long bytesVerified, long archivesOpened, long archiveEntries,
            List<Unreadable> unreadable, List<String> unlisted, List<String> malformedLines, List<String> notVerified) {
    }

    /** The manifest is missing: nothing can be verified. */
    public static final class NoManifest extends IOException {
        private static final long serialVersionUID = 1L;

        NoManifest() {
            super("no " + MANIFEST + " manifest in the folder");
        }
    }

    /**
     * @param folder the backup folder (holding {@value #MANIFEST})
     * @param present the backup files seen in the folder, relative and with '/' separators
     */
    public static Outcome verify(Path folder, Collection<String> present) throws IOException {
        return verify(folder, present, "pg_restore");
    }

    /**
     * @param folder the backup folder (holding {@value #MANIFEST})
     * @param present the backup files seen in the folder, relative and with '/' separators
     * @param pgRestore the pg_restore that opens PostgreSQL custom dumps ({@link FileStructure})
     */
    public static Outcome verify(Path folder, Collection<String> present, String pgRestore) throws IOException {
        Path manifestFile = folder.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(manifestFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoManifest();
        }
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Entry entry = parse(line);
            if (entry == null) {
                malformed.add("line " + (i + 1));
            } else {
                expected.put(entry.path(), entry.hex());
            }
        }

        long files = 0;
        long bytes = 0;
        long archives = 0;
        long entries = 0;
        List<Unreadable> unreadable = new ArrayList<>();
        List<String> notVerified = new ArrayList<>();
        Path root = folder.toAbsolutePath().normalize();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String name = e.getKey();
            Path file = root.resolve(name).normalize();
            if (!file.startsWith(root) || file.equals(root)) {
                unreadable.add(new Unreadable(name, "outside the backup folder"));
                continue;
            }
            if (!Files.isRegularFile(file)) {
                unreadable.add(new Unreadable(name, Files.exists(file) ? "not a file" : "missing"));
                continue;
            }
            String actual;
            long size;
            try {
                long[] counted = new long[1];
                actual = sha256(file, counted);
                size = counted[0];
            } catch (IOException ex) {
                unreadable.add(new Unreadable(name, "read error: " + describe(ex)));
                continue;
            }
            boolean matches = actual.equals(e.getValue());
            // opened even when the checksum differs, so that the reason names the damaged entry
            FileStructure.Result structure;
            try {
                structure = FileStructure.check(file, name, pgRestore);
            } catch (IOException ex) {
                unreadable.add(new Unreadable(name, "read error: " + describe(ex)));
                continue;
            }
            Optional<String> damage = structure.damage();
            if (matches && damage.isEmpty() && structure.opened()) {
                archives++;
                entries += structure.entries();
            }
            if (matches && damage.isEmpty()) {
                structure.notVerified().forEach(why -> notVerified.add(name + ": " + why));
            }
            if (!matches || damage.isPresent()) {
                unreadable.add(new Unreadable(name, matches ? damage.get()
                        : "checksum mismatch" + damage.map(why -> "; " + why).orElse("")));
                continue;
            }
            files++;
            bytes += size;
        }
        Set<String> unlisted = new TreeSet<>(present);
        unlisted.removeAll(expected.keySet());
        return new Outcome(files, bytes, archives, entries, unreadable, List.copyOf(unlisted), malformed, List.copyOf(notVerified));
    }

    private record Entry(String hex, String path) {
    }

    /** {@code <64 hex>  <path>} (text mode) or {@code <64 hex> *<path>} (binary mode), with sha256sum's escaping. */
    private static Entry parse(String line) {
        boolean escaped = line.startsWith("\\");
        String rest = escaped ? line.substring(1) : line;
        if (rest.length() < 67 || rest.charAt(64) != ' ' || (rest.charAt(65) != ' ' && rest.charAt(65) != '*')) {
            return null;
        }
        String hex = rest.substring(0, 64).toLowerCase(Locale.ROOT);
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return null;
            }
        }
        String path = rest.substring(66);
        if (escaped) {
            path = unescape(path);
        }
        path = path.replace('\\', '/');
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return path.isEmpty() ? null : new Entry(hex, path);
    }

    private static String unescape(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                char next = path.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(Path file, long[] size) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            size[0] = drain(in);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static long drain(InputStream in) throws IOException {
        return in.transferTo(OutputStream.nullOutputStream());
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
