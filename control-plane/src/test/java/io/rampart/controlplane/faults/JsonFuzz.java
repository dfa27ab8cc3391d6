package io.rampart.controlplane.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Arbitrary JSON request bodies, from a seeded {@link Random} so a failure is reproduced by its
 * seed: bodies that are not JSON at all, JSON that is not an object, objects whose known fields
 * hold values of the wrong type or out of every range (huge numbers, NUL characters, lone
 * surrogates, 100,000-character strings, impossible dates, durations and time zones), objects
 * with fields missing or extra, and nesting thousands of levels deep.
 */
final class JsonFuzz {

    /** One body; {@code badField} names the one known field given a wrong value, or is null. */
    record Body(String json, String badField) {
    }

    /** Values that are JSON but wrong for almost any field: each stands for a kind of bad input. */
    static final List<String> NASTY = List.of(
            "null", "true", "false", "0", "-1", "2147483648", "-9223372036854775809", "1e400", "-1e400", "1.5", "0.0000001",
            "123456789012345678901234567890", "\"\"", "\" \"", "\"\\u0000\"", "\"USB\\u0000X\"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
            "\"" + "x".repeat(300) + "\"", "\"" + "y".repeat(100_000) + "\"", "\"PT0.5S\"", "\"P-1D\"", "\"PT0S\"", "\"P1000000000D\"",
            "\"PT-1H\"", "\"1h\"", "\"2026-13-45\"", "\"2026-02-30\"", "\"9999-12-31T23:59:59Z\"", "\"+1000000000-01-01T00:00:00Z\"",
            "\"-999999999-01-01\"", "\"0000-00-00\"", "\"Mars/Olympus_Mons\"", "\"UTC+25\"", "\"../../etc/passwd\"", "\"25:61\"",
            "\"24:00\"", "\"not-an-email\"", "\"a@\"", "\"http://127.0.0.1:1/\"", "\"javascript:alert(1)\"", "\"IT_CONTACT\"",
            "\"NOPE\"", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":{}}}", "\"<script>alert(1)</script>\"",
            "\"' or 1=1 --\"", "\"\\u202e\\u0007\"");

    /** Bodies that are not one JSON value. */
    static final List<String> NOT_JSON = List.of("", "{", "}", "{\"a\":", "[1,", "\u0000", "nul", "{\"a\" 1}", "{'a': 1}",
            "{\"a\":1}{\"b\":2}", "\"unterminated", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}", "\uFEFF{}");

    private final Random random;

    JsonFuzz(long seed) {
        this.random = new Random(seed);
    }

    /** A body for an endpoint whose request has these field names. */
    Body next(List<String> fields) {
        return switch (random.nextInt(8)) {
            case 0 -> new Body(pick(NOT_JSON), null);
            case 1 -> new Body(pick(NASTY), null);
            case 2 -> new Body(deep(500 + random.nextInt(5000)), null);
            case 3 -> oneBadField(fields);
            default -> new Body(object(fields), null);
        };
    }

    /** Every known field with a valid-looking string, but one with a nasty value: the refusal must name that field. */
    private Body oneBadField(List<String> fields) {
        if (fields.isEmpty()) {
            return new Body(pick(NASTY), null);
        }
        String bad = pick(fields);
        List<String> members = new ArrayList<>();
        for (String field : fields) {
            members.add(quote(field) + ":" + (field.equals(bad) ? pick(NASTY) : "\"ok\""));
        }
        return new Body("{" + String.join(",", members) + "}", bad);
    }

    /** Some known fields (others missing), some unknown ones, each with a nasty value or a nested object. */
    private String object(List<String> fields) {
        List<String> members = new ArrayList<>();
        for (String field : fields) {
            if (random.nextInt(3) > 0) {
                members.add(quote(field) + ":" + value(3));
            }
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            members.add(quote("extra" + random.nextInt(1000)) + ":" + value(2));
        }
        if (!members.isEmpty() && random.nextInt(8) == 0) {
            members.add(members.get(0)); // a member given twice
        }
        return "{" + String.join(",", members) + "}";
    }

    private String value(int depth) {
        if (depth > 0 && random.nextInt(5) == 0) {
            return random.nextBoolean() ? "[" + value(depth - 1) + "," + value(depth - 1) + "]"
                    : "{\"version\":" + value(depth - 1) + ",\"rules\":" + value(depth - 1) + "}";
        }
        return pick(NASTY);
    }

    private static String deep(int depth) {
        return "{\"document\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
