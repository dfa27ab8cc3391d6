package io.rampart.agent.collectors.folder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens a backup archive and reads every entry to its last byte, with Apache Commons Compress: zip (every name
 * encoding: the UTF-8 flag, code page 437 when it is not set, Info-ZIP's Unicode Path extra field; zip64; data
 * descriptors; deflate64) and tar (ustar, GNU, old GNU and pax; long names; sparse files in old GNU and pax 0.0, 0.1
 * and 1.0 form), plain or compressed with gzip, bzip2 or xz; 7z (each entry's CRC-32); and a single file compressed
 * with gzip, bzip2 or xz (a database dump piped through gzip), whose own CRC is checked.
 * <p>
 * An archive is damaged only for a real structural or checksum error, named by its entry: a zip entry whose data
 * fails its CRC-32 or cannot be inflated, a zip without its central directory, a tar header that fails its header
 * checksum, an archive that ends inside an entry or without its end-of-archive marker, a gzip, bzip2 or xz stream
 * that fails its own CRC. An entry that cannot be checked without something the agent does not have (a zip entry's
 * password, a compression method Commons Compress does not read) is not damage: it is listed as not verified, with
 * why. Other file types (.rar, .tar.zst, .zst, ...) are not archives to this class ({@link Kind#of} is empty): the
 * read-back compares their bytes with the manifest only.
 */
public final class ArchiveReadBack {

    /** Bytes read at a time, per archive being read. */
    static final int BUFFER = 64 * 1024;

    private ArchiveReadBack() {
    }

    /** The archive types opened, recognised by the file name's ending as the backup software names them. */
    public enum Kind {
        ZIP("zip", ".zip"),
        TAR("tar", ".tar"),
        TAR_GZ("tar.gz", ".tar.gz", ".tgz"),
        TAR_BZ2("tar.bz2", ".tar.bz2", ".tbz2", ".tbz"),
        TAR_XZ("tar.xz", ".tar.xz", ".txz"),
        SEVEN_Z("7z", ".7z"),
        // one compressed file (a database dump piped through gzip): its own CRC is checked; after the tar kinds
        GZIP("gzip", ".gz"),
        BZIP2("bzip2", ".bz2"),
        XZ("xz", ".xz");

        /** As the summary says it: "damaged zip archive". */
        public final String label;
        private final List<String> endings;

        Kind(String label, String... endings) {
            this.label = label;
            this.endings = List.of(endings);
        }

        /** The kind of archive a file name says, empty for anything else (read back as plain bytes). */
        public static Optional<Kind> of(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            for (Kind kind : values()) {
                if (kind.endings.stream().anyMatch(lower::endsWith)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * What reading the archive found.
     *
     * @param entries     entries read (files, directories, links; pax and GNU long-name headers are not entries)
     * @param damage      the structural or checksum error, naming the entry ("entry 'scans/0042.pdf' fails its
     *                    CRC-32"); empty when every entry could be read to its end
     * @param notVerified entries whose contents could not be checked, each with why ("entry 'x.pdf' is encrypted:
     *                    its CRC-32 can only be checked with the password")
     */
    public record Result(long entries, Optional<String> damage, List<String> notVerified) {
        public boolean damaged() {
            return damage.isPresent();
        }
    }

    /**
     * Reads every entry of {@code file} as an archive of {@code kind}.
     *
     * @throws IOException only when the file itself cannot be read (permission, I/O error): damage inside the
     *                     archive is reported in the {@link Result}
     */
    public static Result read(Path file, Kind kind) throws IOException {
        return switch (kind) {
            case ZIP -> ZipReadBack.read(file);
            case SEVEN_Z -> SevenZipReadBack.read(file);
            case GZIP, BZIP2, XZ -> Decompression.readCompressedFile(file, kind);
            default -> TarReadBack.read(file, kind);
        };
    }

    // ---- words shared by every format ------------------------------------------------------------------

    /** A result with damage: {@code entries} read before it, {@code why} as the summary will say it. */
    static Result damaged(long entries, String why) {
        return new Result(entries, Optional.of(why), List.of());
    }

    /** The name in quotes, control characters (from a damaged or odd header) shown as '?'. */
    static String quoted(String name) {
        return "'" + name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "'";
    }

    /** The exception's message as Commons Compress or the JDK gave it, its class name when it has none. */
    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Where damage lies: "after entry 'x'", or "before its first entry" when none was read whole. */
    static String after(String lastEntry) {
        return lastEntry == null ? "before its first entry" : "after entry " + quoted(lastEntry);
    }
}
