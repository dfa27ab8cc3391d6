package io.rampart.agent.collectors.folder;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the tar format (ustar, GNU and pax headers) to walk every entry of an archive,
 * read every byte of it and tell a complete archive from a damaged or cut-off one.
 */
public final class TarReader {

    private static final int BLOCK = 512;

    private TarReader() {
    }

    /**
     * Reads the archive to its end-of-archive marker and returns how many entries it holds.
     *
     * @throws IOException when a header is damaged or the archive ends early
     */
    public static long countEntries(InputStream in) throws IOException {
        byte[] header = new byte[BLOCK];
        byte[] skip = new byte[64 * 1024];
        long entries = 0;
        while (true) {
            if (!readBlock(in, header)) {
                throw new EOFException("the archive ends without its end-of-archive marker (cut off?)");
            }
            if (isZero(header)) {
                // The end marker is two zero blocks; some writers stop after one, which tar itself accepts.
                return entries;
            }
            if (!checksumMatches(header)) {
                throw new IOException("damaged tar header after " + entries + " entries");
            }
            long size = size(header);
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            long remaining = padded;
            while (remaining > 0) {
                int n = in.read(skip, 0, (int) Math.min(skip.length, remaining));
                if (n < 0) {
                    throw new EOFException("the archive ends inside entry " + (entries + 1) + " (cut off?)");
                }
                remaining -= n;
            }
            byte type = header[156];
            // pax ('x', 'g') and GNU long-name ('L', 'K') headers describe the next entry; they are not entries.
            if (type != 'x' && type != 'g' && type != 'L' && type != 'K') {
                entries++;
            }
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = 0;
        while (read < block.length) {
            int n = in.read(block, read, block.length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new EOFException("the archive ends inside a header (cut off?)");
            }
            read += n;
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumMatches(byte[] header) throws IOException {
        long expected = octal(header, 148, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        return expected == unsigned || expected == signed;
    }

    private static long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) {
            // GNU base-256 for entries of 8 GiB and more
            long value = header[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        return octal(header, 124, 12);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("damaged tar header (bad number)");
        }
    }
}
