package io.rampart.agent.restore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain dump as psql's standard input, under psql's own restricted mode, so that no psql meta-command in it can run.
 *
 * <p>What psql reads: {@code \restrict <key>} with a key of 32 random letters and digits the dump cannot know (it is
 * never written anywhere else: not on a command line, in a file or a log), then the dump. Until
 * <code>&#92;unrestrict &lt;key&gt;</code>, psql refuses every backslash command wherever it stands on a line ({@code \!},
 * {@code \set x `cmd`}, {@code \o |cmd}, {@code \copy ... program}, {@code \i}, {@code \gexec}, {@code \connect}...)
 * and, with ON_ERROR_STOP, stops there. This is the defence pg_dump itself uses since PostgreSQL 17.6, 16.10, 15.14,
 * 14.19 and 13.22 (CVE-2025-8714); it needs a psql of those versions or later, see {@link #supported(String)}.
 *
 * <p>Dumps from those pg_dump versions carry their own {@code \restrict <key>} and <code>&#92;unrestrict &lt;key&gt;</code> lines;
 * psql would refuse them inside our restriction, so such lines (outside COPY data) reach psql as empty lines, which
 * keeps psql's line numbers those of the dump plus one. Blanking a line can never lift the restriction.
 *
 * <p>Like {@code pg_restore --no-owner --no-privileges} for custom-format dumps, the one-line statements pg_dump writes
 * for owners and privileges ({@code ALTER ... OWNER TO}, {@code GRANT}, {@code REVOKE}, {@code ALTER DEFAULT PRIVILEGES},
 * {@code SET SESSION AUTHORIZATION}) reach psql as empty lines too: the restore role is no member of the practice's
 * roles (see {@link RestoreRole}) and the restored objects belong to it. This only ever leaves something out; what
 * the dump may do is bounded by the restriction and the restore role, not by this.
 */
final class RestrictedScript {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern PG_DUMP_RESTRICT = Pattern.compile("\\\\(un)?restrict\\s+[A-Za-z0-9]+\\s*");
    /** What pg_dump writes for owners and privileges, each on one line. */
    private static final Pattern OWNER_OR_PRIVILEGE = Pattern.compile(
            "(ALTER\\s+[A-Z ]+\\s.*\\sOWNER\\s+TO\\s.*|(GRANT|REVOKE)\\s.*|ALTER\\s+DEFAULT\\s+PRIVILEGES\\s.*|SET\\s+SESSION\\s+AUTHORIZATION\\s.*);\\s*");
    /**
     * psql 15.18 says "psql:<stdin>:3: error: backslash commands are restricted; only \\unrestrict is allowed", or, for a
     * guessed key, "psql:<stdin>:3: error: \\unrestrict: wrong key".
     */
    private static final Pattern REFUSED = Pattern.compile(
            "(?m)^psql:<stdin>:(\\d+): error: (backslash commands are restricted|\\\\unrestrict: wrong key)");
    private static final Pattern PSQL_VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    /** A backslash command as psql's lexer starts one: a backslash and a letter, '!' or '?' (not "\\\\"). */
    private static final Pattern META_COMMAND = Pattern.compile("\\\\([A-Za-z]+[A-Za-z0-9_+]*|!|\\?)");

    private final String key;

    RestrictedScript() {
        StringBuilder text = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        this.key = text.toString();
    }

    /**
     * Writes the restriction and then the dump into {@code stdin}, and closes it.
     *
     * @throws IOException the dump cannot be read (a damaged .gz), or psql stopped reading (it exited)
     */
    void feed(DumpChoice dump, OutputStream stdin) throws IOException {
        try (OutputStream to = new BufferedOutputStream(stdin, 1 << 16); InputStream from = dump.openScript()) {
            to.write(("\\restrict " + key + "\n").getBytes(StandardCharsets.US_ASCII));
            DumpLines.walk(from, to, (number, head, whole) -> whole
                    && (PG_DUMP_RESTRICT.matcher(head).matches() || OWNER_OR_PRIVILEGE.matcher(head).matches()));
        }
    }

    /**
     * Whether the psql that printed {@code versionOutput} ({@code psql --version}) has {@code \restrict}: 18 and later,
     * 17.6, 16.10, 15.14, 14.19, 13.22 and later in each branch.
     */
    static boolean supported(String versionOutput) {
        Matcher m = PSQL_VERSION.matcher(versionOutput);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return switch (major) {
            case 13 -> minor >= 22;
            case 14 -> minor >= 19;
            case 15 -> minor >= 14;
            case 16 -> minor >= 10;
            case 17 -> minor >= 6;
            default -> major >= 18;
        };
    }

    /**
     * When psql refused a meta-command of the dump: the dump's line number and the command as written there
     * ({@code \!}, {@code \set}...), read back from the dump; empty when psql's complaint is something else.
     */
    static Optional<Refused> refused(String psqlStderr, DumpChoice dump) {
        Matcher m = REFUSED.matcher(psqlStderr);
        if (!m.find()) {
            return Optional.empty();
        }
        long line = Long.parseLong(m.group(1)) - 1;
        String[] command = new String[1];
        try (InputStream in = dump.openScript()) {
            DumpLines.walk(in, null, (number, head, whole) -> {
                if (number == line) {
                    command[0] = metaCommand(head).orElse(null);
                }
                return false;
            });
        } catch (IOException e) {
            // the line number alone still tells where
        }
        return Optional.of(new Refused(line, Optional.ofNullable(command[0])));
    }

    /** The first backslash command on a line, skipping single-quoted text (where psql does not look for one). */
    static Optional<String> metaCommand(String line) {
        StringBuilder outsideQuotes = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            outsideQuotes.append(quoted ? ' ' : c);
        }
        Matcher m = META_COMMAND.matcher(outsideQuotes);
        return m.find() ? Optional.of("\\" + m.group(1)) : Optional.empty();
    }

    /** A meta-command psql refused: the dump's line and, when it could be read back, the command. */
    record Refused(long line, Optional<String> command) {
    }
}
