package io.rampart.agent.collectors.folder;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

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

    /** The code page of zip names without the UTF-8 flag (APPNOTE 6.3, appendix D), as Info-ZIP's unzip reads them. */
    private static final Charset CP437 = Charset.forName("IBM437");
    private static final int BUFFER = 64 * 1024;

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
            case ZIP -> zip(file);
            case SEVEN_Z -> sevenZip(file);
            case GZIP, BZIP2, XZ -> compressedFile(file, kind);
            default -> tar(file, kind);
        };
    }

    // ---- 7z -------------------------------------------------------------------------------------------------

    private static Result sevenZip(Path file) throws IOException {
        SevenZFile archive;
        try {
            archive = SevenZFile.builder().setPath(file).get();
        } catch (PasswordRequiredException e) {
            // 7z -mhe=on encrypts the list of files too
            return new Result(0, Optional.empty(), List.of("the archive is encrypted, its list of files too: "
                    + "its CRCs can only be checked with the password"));
        } catch (IOException | RuntimeException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            return damaged(0, "its header cannot be read (cut off, or not a 7z archive): " + message(e));
        }
        long entries = 0;
        String last = null;
        List<String> notVerified = new ArrayList<>();
        try (archive) {
            byte[] buffer = new byte[BUFFER];
            SevenZArchiveEntry entry;
            while (true) {
                try {
                    entry = archive.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, "it is damaged " + after(last) + ": " + message(e));
                }
                if (entry == null) {
                    break;
                }
                entries++;
                last = entry.getName();
                String name = quoted(last);
                if (entry.isDirectory() || !entry.hasStream()) {
                    continue;
                }
                try {
                    // SevenZFile checks each entry's CRC-32 at its end
                    while (archive.read(buffer) >= 0) {
                        // drained
                    }
                } catch (PasswordRequiredException e) {
                    notVerified.add("entry " + name + " is encrypted: its CRC-32 can only be checked with the password");
                } catch (EOFException e) {
                    return damaged(entries, "entry " + name + " is cut off (the archive ends inside it)");
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, message(e).toLowerCase(Locale.ROOT).contains("checksum")
                            ? "entry " + name + " fails its CRC-32" : "entry " + name + " cannot be decompressed: " + message(e));
                }
            }
        }
        return new Result(entries, Optional.empty(), List.copyOf(notVerified));
    }

    // ---- one compressed file --------------------------------------------------------------------------------

    private static Result compressedFile(Path file, Kind kind) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            Decompressed in;
            try {
                in = new Decompressed(decompressor(raw, kind));
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return damaged(0, compressionDamage(kind, e, null));
            } catch (RuntimeException e) {
                // decoders reject some damaged data unchecked
                return damaged(0, "its " + compression(kind) + " data is damaged: " + message(e));
            }
        }
        return new Result(1, Optional.empty(), List.of());
    }

    // ---- zip ------------------------------------------------------------------------------------------------

    private static Result zip(Path file) throws IOException {
        ZipFile zip;
        try {
            // names without the UTF-8 flag are in the OEM code page (Windows' "Send to compressed folder", Info-ZIP
            // on DOS, 7-Zip by default); Info-ZIP's Unicode Path extra field, when present, wins
            zip = ZipFile.builder().setPath(file).setCharset(CP437).setUseUnicodeExtraFields(true).get();
        } catch (EOFException e) {
            return damaged(0, "it ends before its central directory (cut off?)");
        } catch (IOException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            return damaged(0, "its central directory cannot be read (cut off, or not a zip): " + message(e));
        } catch (RuntimeException e) {
            // a central directory whose numbers make no sense (Commons Compress rejects them unchecked)
            return damaged(0, "its central directory is damaged: " + message(e));
        }
        long entries = 0;
        List<String> notVerified = new ArrayList<>();
        try (zip) {
            byte[] buffer = new byte[BUFFER];
            for (Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder(); all.hasMoreElements();) {
                ZipArchiveEntry entry = all.nextElement();
                entries++;
                String name = quoted(zipName(entry));
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.getGeneralPurposeBit().usesEncryption()) {
                    notVerified.add("entry " + name + " is encrypted: its CRC-32 can only be checked with the password");
                    continue;
                }
                if (!zip.canReadEntryData(entry)) {
                    notVerified.add("entry " + name + " is compressed with " + method(entry)
                            + ", which the agent cannot decompress to check its CRC-32");
                    continue;
                }
                CRC32 crc = new CRC32();
                long read = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        crc.update(buffer, 0, n);
                        read += n;
                    }
                } catch (EOFException e) {
                    return damaged(entries, "entry " + name + " is cut off (the archive ends inside it)");
                } catch (IOException | RuntimeException e) {
                    // a damaged deflate stream (IllegalArgumentException, ZipException) or an entry pointing past the end
                    return damaged(entries, "entry " + name + " cannot be decompressed: " + message(e));
                }
                if (entry.getSize() >= 0 && read != entry.getSize()) {
                    return damaged(entries, "entry " + name + " holds " + read + " bytes where the archive lists " + entry.getSize());
                }
                if (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc()) {
                    return damaged(entries, "entry " + name + " fails its CRC-32");
                }
            }
        }
        return new Result(entries, Optional.empty(), List.copyOf(notVerified));
    }

    /**
     * The entry's name as the tool that wrote it meant it: UTF-8 when flagged or when Info-ZIP's Unicode Path extra
     * field gave it; else UTF-8 when the bytes are valid UTF-8 with non-ASCII in them (macOS and Linux writers
     * that do not set the flag); else code page 437.
     */
    static String zipName(ZipArchiveEntry entry) {
        if (entry.getGeneralPurposeBit().usesUTF8ForNames() || entry.getExtraField(UnicodePathExtraField.UPATH_ID) != null) {
            return entry.getName();
        }
        byte[] raw = entry.getRawName();
        if (raw == null) {
            return entry.getName();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return entry.getName();
        }
    }

    private static String method(ZipArchiveEntry entry) {
        ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
        String name = method == null || method == ZipMethod.UNKNOWN ? "an unknown method"
                : switch (method) {
                    case PPMD -> "PPMd";
                    case LZMA -> "LZMA";
                    case XZ -> "xz";
                    case ZSTD, ZSTD_DEPRECATED -> "Zstandard";
                    case JPEG -> "JPEG";
                    case WAVPACK -> "WavPack";
                    default -> method.name().toLowerCase(Locale.ROOT).replace('_', ' ');
                };
        return name + " (zip method " + entry.getMethod() + ")";
    }

    // ---- tar ------------------------------------------------------------------------------------------------

    /** Remembers whether the archive ended with its end-of-archive marker (a zero block) or just stopped. */
    private static final class MarkedTarInputStream extends TarArchiveInputStream {
        private static final byte GNU_DUMPDIR = 'D';
        private static final int RECORD = 512;
        private boolean endMarker;
        private TarArchiveEntry dumpdirRead;

        MarkedTarInputStream(InputStream in) {
            // pax names are UTF-8 by the standard; GNU and ustar names are bytes, UTF-8 on today's systems
            super(in, StandardCharsets.UTF_8.name());
        }

        /**
         * GNU tar's incremental archives ({@code tar -g}) hold a directory as a 'D' entry whose data is the list of
         * its names (the dumpdir). Commons Compress 1.28 takes it for a plain directory and leaves that data unread,
         * then parses it as the next header; it is read here, as GNU tar does.
         */
        @Override
        public TarArchiveEntry getNextEntry() throws IOException {
            TarArchiveEntry entry = super.getNextEntry();
            // super calls this method again for the entry after a long-name or pax header: read each dumpdir once
            if (entry != null && entry != dumpdirRead && entry.getLinkFlag() == GNU_DUMPDIR && entry.getSize() > 0) {
                dumpdirRead = entry;
                long padded = (entry.getSize() + RECORD - 1) / RECORD * RECORD;
                byte[] dumpdir = in.readNBytes((int) Math.min(padded, Integer.MAX_VALUE));
                if (dumpdir.length < padded) {
                    throw new EOFException("the archive ends inside the directory listing of " + entry.getName());
                }
            }
            return entry;
        }

        @Override
        protected boolean isEOFRecord(byte[] record) {
            boolean eof = super.isEOFRecord(record);
            if (eof && record != null) {
                endMarker = true;
            }
            return eof;
        }
    }

    private static Result tar(Path file, Kind kind) throws IOException {
        long entries = 0;
        String last = null;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            Decompressed in;
            try {
                in = new Decompressed(decompressor(raw, kind));
            } catch (IOException e) {
                // bzip2 reads its first block here
                return damaged(0, compressionDamage(kind, e, null));
            } catch (RuntimeException e) {
                return damaged(0, "its " + compression(kind) + " data is damaged before its first entry: " + message(e));
            }
            MarkedTarInputStream tar = new MarkedTarInputStream(in);
            byte[] buffer = new byte[BUFFER];
            TarArchiveEntry entry;
            while (true) {
                try {
                    entry = tar.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, in.failure != null ? compressionDamage(kind, in.failure, last)
                            : e instanceof EOFException ? "it ends inside a header " + after(last) + " (cut off?)"
                            : "damaged tar header " + after(last) + ": " + message(e));
                }
                if (entry == null) {
                    break;
                }
                if (!entry.isCheckSumOK()) {
                    // the damaged header's own name cannot be trusted: the damage is placed after the last good entry
                    return damaged(entries, (last == null ? "the first tar header" : "the tar header after entry " + quoted(last))
                            + " fails its header checksum");
                }
                entries++;
                last = entry.getName();
                long expected = entry.isSparse() ? entry.getRealSize() : entry.getSize();
                long read = 0;
                try {
                    int n;
                    while ((n = tar.read(buffer)) >= 0) {
                        read += n;
                    }
                } catch (IOException | RuntimeException e) {
                    boolean cutOff = e instanceof EOFException || message(e).startsWith("Truncated");
                    return damaged(entries, cutOff ? "entry " + quoted(last) + " is cut off (the archive ends inside it)"
                            : in.failure != null ? "entry " + quoted(last) + " cannot be decompressed: " + message(in.failure)
                            : "entry " + quoted(last) + " cannot be read: " + message(e));
                }
                if (!entry.isDirectory() && !entry.isLink() && !entry.isSymbolicLink() && read != expected) {
                    return damaged(entries, "entry " + quoted(last) + " is cut off (" + read + " of " + expected + " bytes)");
                }
            }
            if (!tar.endMarker) {
                return damaged(entries, "it ends without its end-of-archive marker " + after(last) + " (cut off?)");
            }
            if (kind != Kind.TAR) {
                try {
                    // the rest of the compressed stream after the tar's end (padding), up to the trailer whose CRC
                    // and length the decompressor checks
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    return damaged(entries, compressionDamage(kind, e, last));
                } catch (RuntimeException e) {
                    return damaged(entries, "its " + compression(kind) + " data is damaged " + after(last) + ": " + message(e));
                }
            }
        }
        return new Result(entries, Optional.empty(), List.of());
    }

    /**
     * A gzip, bzip2 or xz check covers the whole stream (or a 900 KB bzip2 block), not one entry: the damage is
     * placed after the last entry that read back whole.
     */
    private static String compressionDamage(Kind kind, IOException e, String last) {
        String what = message(e);
        String lower = what.toLowerCase(Locale.ROOT);
        boolean crc = lower.contains("crc");
        // bzip2 says "Unexpected end of stream" without an EOFException
        boolean cutOff = e instanceof EOFException || lower.contains("end of stream") || lower.startsWith("truncated");
        return "its " + compression(kind) + " data " + (cutOff ? "is cut off" : crc ? "fails its CRC" : "is damaged")
                + placed(kind, last) + (cutOff || crc ? "" : ": " + what);
    }

    /** The decompressed stream, remembering an error the decompressor (not the tar reader) raised. */
    private static final class Decompressed extends java.io.FilterInputStream {
        private IOException failure;

        Decompressed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    private static InputStream decompressor(InputStream raw, Kind kind) throws IOException {
        // decompressConcatenated: pigz, pbzip2 and appended backups write several members, and tar reads them all
        return switch (kind) {
            case TAR_GZ, GZIP -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            case TAR_BZ2, BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case TAR_XZ, XZ -> new XZCompressorInputStream(raw, true);
            default -> raw;
        };
    }

    private static String compression(Kind kind) {
        return switch (kind) {
            case TAR_GZ, GZIP -> "gzip";
            case TAR_BZ2, BZIP2 -> "bzip2";
            case TAR_XZ, XZ -> "xz";
            default -> kind.label;
        };
    }

    private static String after(String lastEntry) {
        return lastEntry == null ? "before its first entry" : "after entry " + quoted(lastEntry);
    }

    private static String placed(Kind kind, String lastEntry) {
        // a single compressed file has no entries to place the damage by
        return kind == Kind.GZIP || kind == Kind.BZIP2 || kind == Kind.XZ ? "" : " " + after(lastEntry);
    }

    // ---- words ----------------------------------------------------------------------------------------------

    private static Result damaged(long entries, String why) {
        return new Result(entries, Optional.of(why), List.of());
    }

    /** The name in quotes, control characters (from a damaged or odd header) shown as '?'. */
    private static String quoted(String name) {
        return "'" + name.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "'";
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
