package io.rampart.agent.collectors.folder;

import static io.rampart.agent.collectors.folder.ArchiveReadBack.BUFFER;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.after;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.damaged;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.message;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import io.rampart.agent.collectors.folder.ArchiveReadBack.Kind;
import io.rampart.agent.collectors.folder.ArchiveReadBack.Result;

/**
 * The gzip, bzip2 and xz streams of archives and of single compressed files (a database dump piped through gzip), with
 * Commons Compress: concatenated members read whole, and a damaged, cut off or CRC-failing stream named as such.
 */
final class Decompression {

    private Decompression() {
    }

    static Result readCompressedFile(Path file, Kind kind) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            Decompressed in;
            try {
                in = new Decompressed(decompressor(raw, kind));
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return damaged(0, damage(kind, e, null));
            } catch (RuntimeException e) {
                // decoders reject some damaged data unchecked
                return damaged(0, "its " + name(kind) + " data is damaged: " + message(e));
            }
        }
        return new Result(1, Optional.empty(), List.of());
    }

    /**
     * A gzip, bzip2 or xz check covers the whole stream (or a 900 KB bzip2 block), not one entry: the damage is
     * placed after the last entry that read back whole.
     */
    static String damage(Kind kind, IOException e, String last) {
        String what = message(e);
        String lower = what.toLowerCase(Locale.ROOT);
        boolean crc = lower.contains("crc");
        // bzip2 says "Unexpected end of stream" without an EOFException
        boolean cutOff = e instanceof EOFException || lower.contains("end of stream") || lower.startsWith("truncated");
        return "its " + name(kind) + " data " + (cutOff ? "is cut off" : crc ? "fails its CRC" : "is damaged")
                + placed(kind, last) + (cutOff || crc ? "" : ": " + what);
    }

    /** The decompressed stream, remembering an error the decompressor (not the tar reader) raised. */
    static final class Decompressed extends java.io.FilterInputStream {
        IOException failure;

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

    static InputStream decompressor(InputStream raw, Kind kind) throws IOException {
        // decompressConcatenated: pigz, pbzip2 and appended backups write several members, and tar reads them all
        return switch (kind) {
            case TAR_GZ, GZIP -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            case TAR_BZ2, BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case TAR_XZ, XZ -> new XZCompressorInputStream(raw, true);
            default -> raw;
        };
    }

    static String name(Kind kind) {
        return switch (kind) {
            case TAR_GZ, GZIP -> "gzip";
            case TAR_BZ2, BZIP2 -> "bzip2";
            case TAR_XZ, XZ -> "xz";
            default -> kind.label;
        };
    }

    private static String placed(Kind kind, String lastEntry) {
        // a single compressed file has no entries to place the damage by
        return kind == Kind.GZIP || kind == Kind.BZIP2 || kind == Kind.XZ ? "" : " " + after(lastEntry);
    }
}
