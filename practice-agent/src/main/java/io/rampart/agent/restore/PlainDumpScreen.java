package io.rampart.agent.restore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Tells, before anything runs, that a plain dump was made for another purpose than restoring one database: with
 * {@code pg_dump --create} or by {@code pg_dumpall} (CREATE/DROP/ALTER DATABASE, roles, tablespaces, {@code \connect}),
 * so the person is told how to make a dump Rampart can test.
 *
 * <p>This is a diagnosis, not the defence: what keeps a hostile dump from acting is psql's {@code \restrict}
 * ({@link RestrictedScript}) and a restore role that may do nothing outside its own database ({@link RestoreRole}).
 */
final class PlainDumpScreen {

    private static final Pattern LEAVES_DATABASE = Pattern.compile(
            "(?i)^\\s*((CREATE|DROP|ALTER)\\s+(DATABASE|ROLE|USER|TABLESPACE)\\b.*|\\\\(connect|c)(\\s.*)?)");

    private PlainDumpScreen() {
    }

    /**
     * What in the dump would act on other databases or on roles, with its line number, or empty. A damaged gzip stream
     * is left for the restore to report.
     *
     * @throws IOException the dump cannot be read
     */
    static Optional<String> leavesTheScratchDatabase(DumpChoice dump) throws IOException {
        String[] found = new String[1];
        try (InputStream in = dump.openScript()) {
            DumpLines.walk(in, null, (number, head, whole) -> {
                if (found[0] == null && LEAVES_DATABASE.matcher(head).matches()) {
                    found[0] = "contains " + shorten(readable(head).strip()) + " (line " + number + ")";
                }
                return false;
            });
        } catch (ZipException | EOFException e) {
            // damaged compression: the restore fails on it, and that is the finding
        }
        return Optional.ofNullable(found[0]);
    }

    /** Bytes read as ISO-8859-1 shown as the UTF-8 most dumps are written in. */
    static String readable(String head) {
        return new String(head.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
