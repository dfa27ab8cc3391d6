package io.rampart.agent.collectors.folder;

import static io.rampart.agent.collectors.folder.ArchiveReadBack.BUFFER;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.after;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.damaged;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.message;
import static io.rampart.agent.collectors.folder.ArchiveReadBack.quoted;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import io.rampart.agent.collectors.folder.ArchiveReadBack.Kind;
import io.rampart.agent.collectors.folder.ArchiveReadBack.Result;

/**
 * Reads a tar archive back, plain or compressed, entry by entry to its end-of-archive marker: every header's checksum,
 * every entry's length (sparse ones by their real size), GNU incremental dumpdirs, then the compressed stream's trailer.
 */
final class TarReadBack {

    private TarReadBack() {
    }

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

    static Result read(Path file, Kind kind) throws IOException {
        long entries = 0;
        String last = null;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            Decompression.Decompressed in;
            try {
                in = new Decompression.Decompressed(Decompression.decompressor(raw, kind));
            } catch (IOException e) {
                // bzip2 reads its first block here
                return damaged(0, Decompression.damage(kind, e, null));
            } catch (RuntimeException e) {
                return damaged(0, "its " + Decompression.name(kind) + " data is damaged before its first entry: " + message(e));
            }
            MarkedTarInputStream tar = new MarkedTarInputStream(in);
            byte[] buffer = new byte[BUFFER];
            TarArchiveEntry entry;
            while (true) {
                try {
                    entry = tar.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    return damaged(entries, in.failure != null ? Decompression.damage(kind, in.failure, last)
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
                    return damaged(entries, Decompression.damage(kind, e, last));
                } catch (RuntimeException e) {
                    return damaged(entries, "its " + Decompression.name(kind) + " data is damaged " + after(last) + ": " + message(e));
                }
            }
        }
        return new Result(entries, Optional.empty(), List.of());
    }
}
