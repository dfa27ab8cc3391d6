package io.rampart.controlplane.sources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.rampart.controlplane.shared.Refusal.FieldError;

/**
 * Which checks.properties settings may be set centrally, and what each value must look like. Programs, queries and
 * secrets are never among them: the control plane never chooses what the agent runs, and a password only ever
 * reaches the agent sealed (see SealedSecret). Limits: a value at most 1024 characters, 30 settings per check.
 */
public final class SourceSettings {

    public static final int MAX_VALUE_LENGTH = 1024;
    public static final int MAX_SETTINGS_PER_CHECK = 30;
    public static final Pattern CHECK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a value is, with the words a person reads when it is not. */
    enum Shape {
        ABSOLUTE_PATH("must be an absolute path, such as /mnt/nas/backups or D:\\Backups or \\\\nas\\backups"),
        HOST("must be a host name or IP address, such as nas.local or 10.0.0.5"),
        HOST_PORT("must be host:port, such as db1.local:5432 or [fd00::5]:5432 (the port may be left out)"),
        PORT("must be a TCP port number from 1 to 65535"),
        NAME("must be a name of letters, digits, '.', '-', '_' or '@' (at most 128)"),
        REPOSITORY("must be a restic or borg repository address without a password, such as sftp:backup@nas:/srv/restic"),
        TOOL("must be restic or borg"),
        TIMEOUT("must be a time such as 90 min, 6h or 3600 (seconds)"),
        TEXT("must be text without control characters");

        final String rule;

        Shape(String rule) {
            this.rule = rule;
        }
    }

    /** The settings that may be set centrally: key -> shape; the keys of checks.properties (check.&lt;id&gt;.&lt;key&gt;). */
    static final Map<String, Shape> KEYS = Map.ofEntries(
            Map.entry("path", Shape.ABSOLUTE_PATH),
            Map.entry("repository", Shape.REPOSITORY),
            Map.entry("tool", Shape.TOOL),
            Map.entry("password-file", Shape.ABSOLUTE_PATH),
            Map.entry("timeout", Shape.TIMEOUT),
            Map.entry("engine", Shape.NAME),
            Map.entry("primary", Shape.HOST_PORT),
            Map.entry("secondary", Shape.HOST_PORT),
            Map.entry("database", Shape.NAME),
            Map.entry("user", Shape.NAME),
            Map.entry("ups", Shape.NAME),
            Map.entry("host", Shape.HOST),
            Map.entry("port", Shape.PORT),
            Map.entry("username", Shape.NAME),
            Map.entry("self-test-window", Shape.TEXT),
            Map.entry("dump-path", Shape.ABSOLUTE_PATH),
            Map.entry("scratch", Shape.ABSOLUTE_PATH),
            Map.entry("scratch-database", Shape.HOST_PORT),
            Map.entry("maintenance-database", Shape.NAME));

    /** Settings only the practice's own checks.properties may set, and why. */
    static final Map<String, String> LOCAL_ONLY = Map.of(
            "executable", "the control plane never chooses which program the agent runs",
            "psql", "the control plane never chooses which program the agent runs",
            "pg-restore", "the control plane never chooses which program the agent runs",
            "verify-query", "the control plane never chooses a query the agent runs on the practice's database",
            "password", "a password is never sent in clear: seal it to the practice's agents instead");

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern NAME_CHARS = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern TIMEOUT_TEXT = Pattern.compile("[0-9]{1,7}(?: ?[A-Za-z]{1,8})?");
    private static final Pattern WINDOWS_PATH = Pattern.compile("[A-Za-z]:\\\\.*|\\\\\\\\[^\\\\]+\\\\.+");
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^/@]*:[^/@]*@");

    private SourceSettings() {
    }

    /** Every problem of one check's settings, each under field {@code <prefix>.<key>}; empty when all are right. */
    public static List<FieldError> problems(String prefix, Map<String, String> settings) {
        List<FieldError> errors = new ArrayList<>();
        if (settings.size() > MAX_SETTINGS_PER_CHECK) {
            errors.add(new FieldError(prefix, "at most " + MAX_SETTINGS_PER_CHECK + " settings per check, not " + settings.size()));
        }
        settings.forEach((key, value) -> problem(key, value).ifPresent(message -> errors.add(new FieldError(prefix + "." + key, message))));
        return errors;
    }

    static Optional<String> problem(String key, String value) {
        if (LOCAL_ONLY.containsKey(key)) {
            return Optional.of(key + " is set only in checks.properties on the practice's server: " + LOCAL_ONLY.get(key));
        }
        Shape shape = KEYS.get(key);
        if (shape == null) {
            return Optional.of("unknown setting " + printable(key) + ": one of " + String.join(", ", KEYS.keySet().stream().sorted().toList()));
        }
        if (value == null || value.isBlank()) {
            return Optional.of("must not be empty (remove the setting instead)");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("is " + value.length() + " characters long; at most " + MAX_VALUE_LENGTH);
        }
        if (CONTROL.matcher(value).find()) {
            return Optional.of("must not contain control characters such as NUL or a line break");
        }
        if (!value.equals(value.strip())) {
            return Optional.of("must not start or end with spaces");
        }
        return fits(shape, value) ? Optional.empty() : Optional.of(shape.rule);
    }

    private static boolean fits(Shape shape, String value) {
        return switch (shape) {
            case ABSOLUTE_PATH -> (value.startsWith("/") || WINDOWS_PATH.matcher(value).matches())
                    && !List.of(value.split("[/\\\\]")).contains("..");
            case HOST -> host(value);
            case HOST_PORT -> hostPort(value);
            case PORT -> port(value);
            case NAME -> NAME_CHARS.matcher(value).matches();
            case REPOSITORY -> !URL_PASSWORD.matcher(value).find() && !value.startsWith("-");
            case TOOL -> value.equals("restic") || value.equals("borg");
            case TIMEOUT -> TIMEOUT_TEXT.matcher(value).matches();
            case TEXT -> value.length() <= 200;
        };
    }

    private static boolean host(String value) {
        return HOST_NAME.matcher(value).matches() || (value.contains(":") && IPV6.matcher(value).matches());
    }

    private static boolean hostPort(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !IPV6.matcher(value.substring(1, close)).matches()) {
                return false;
            }
            String rest = value.substring(close + 1);
            return rest.isEmpty() || (rest.startsWith(":") && port(rest.substring(1)));
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            return host(value);
        }
        return colon == value.lastIndexOf(':') && host(value.substring(0, colon)) && port(value.substring(colon + 1));
    }

    private static boolean port(String value) {
        if (!value.matches("[0-9]{1,5}")) {
            return false;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65535;
    }

    private static String printable(String key) {
        String shown = CONTROL.matcher(key).replaceAll("?");
        return "'" + (shown.length() > 64 ? shown.substring(0, 64) + "..." : shown) + "'";
    }
}
