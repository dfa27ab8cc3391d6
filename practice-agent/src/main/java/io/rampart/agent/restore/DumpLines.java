package io.rampart.agent.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Walks a plain pg_dump script line by line as bytes (a dump may be in any client encoding, and is passed on
 * unchanged), telling COPY data apart from script the way pg_dump writes it: a line {@code COPY ... FROM stdin;}
 * starts data rows, a line {@code \.} ends them. Lines of any length stream through in constant memory; a visitor
 * sees the first {@link #HEAD} bytes of each script line.
 *
 * <p>This is no security boundary (psql's {@code \restrict} and the restore role are): a hostile dump that confuses
 * the COPY tracking only makes its own restore fail or its own data change.
 */
final class DumpLines {

    /** How much of a line a visitor sees, in bytes: more than any line pg_dump writes outside COPY data. */
    static final int HEAD = 8192;

    /** Sees each script line outside COPY data. */
    interface Visitor {
        /**
         * @param number 1-based line number in the dump
         * @param head   the line's first {@link #HEAD} bytes as ISO-8859-1 (byte for byte), without its line end
         * @param whole  false when the line is longer than {@code head}
         * @return true to pass on an empty line instead (keeping the line numbers), only possible for a whole line
         */
        boolean blank(long number, String head, boolean whole);
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;

    private DumpLines(InputStream in) {
        this.in = in;
    }

    /**
     * Reads {@code in} to its end, calling {@code visitor} for each script line and copying everything to {@code out}
     * (when not null), blanked lines as empty lines.
     *
     * @throws IOException reading {@code in} (e.g. a damaged gzip stream) or writing {@code out} (the tool exited)
     */
    static void walk(InputStream in, OutputStream out, Visitor visitor) throws IOException {
        new DumpLines(in).walk(out, visitor);
    }

    private void walk(OutputStream out, Visitor visitor) throws IOException {
        byte[] head = new byte[HEAD];
        byte[] tail = new byte[16];
        boolean inCopy = false;
        long number = 0;
        while (true) {
            int length = 0;
            boolean newline = false;
            int next;
            while (length < HEAD && (next = read()) >= 0) {
                if (next == '\n') {
                    newline = true;
                    break;
                }
                head[length++] = (byte) next;
            }
            boolean whole = newline || length < HEAD;
            if (length == 0 && !newline) {
                return;
            }
            number++;
            String text = stripReturn(new String(head, 0, length, StandardCharsets.ISO_8859_1));
            if (whole) {
                boolean blank = false;
                if (inCopy) {
                    inCopy = !text.equals("\\.");
                } else {
                    blank = visitor.blank(number, text, true);
                    inCopy = startsCopyData(text, text);
                }
                if (out != null) {
                    if (!blank) {
                        out.write(head, 0, length);
                    }
                    if (newline) {
                        out.write('\n');
                    }
                }
                continue;
            }
            // a long line: its head goes on now, the rest streams through; only its end is kept, for "FROM stdin;"
            if (out != null) {
                out.write(head, 0, length);
            }
            // a ring of the line's last bytes (only outside COPY data, where long lines are rare)
            long seen = 0;
            if (!inCopy) {
                for (int i = 0; i < length; i++) {
                    tail[(int) (seen++ % tail.length)] = head[i];
                }
            }
            while ((next = read()) >= 0 && next != '\n') {
                if (out != null) {
                    out.write(next);
                }
                if (!inCopy) {
                    tail[(int) (seen++ % tail.length)] = (byte) next;
                }
            }
            if (next == '\n' && out != null) {
                out.write('\n');
            }
            if (!inCopy) {
                visitor.blank(number, text, false);
                int kept = (int) Math.min(seen, tail.length);
                byte[] end = new byte[kept];
                for (int i = 0; i < kept; i++) {
                    end[i] = tail[(int) ((seen - kept + i) % tail.length)];
                }
                inCopy = startsCopyData(text, stripReturn(new String(end, StandardCharsets.ISO_8859_1)));
            }
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }

    /** pg_dump writes each COPY on one line: {@code COPY public.t (a, b) FROM stdin;}. */
    private static boolean startsCopyData(String head, String end) {
        return head.regionMatches(true, 0, "COPY ", 0, 5) && end.regionMatches(true, Math.max(0, end.length() - 11), "FROM stdin;", 0, 11)
                && end.length() >= 11;
    }

    private static String stripReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
