package io.rampart.controlplane.tenancy;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.rampart.controlplane.shared.Refusal.FieldError;

/**
 * What a group's or practice's name and a group's time zone may be, as field errors a person can act on: a name is
 * 1 to 200 characters after trimming, without control characters (PostgreSQL cannot store NUL in text, and a line
 * break would split the name in emails and reports); a time zone is an IANA zone id (Europe/London, Australia/Melbourne,
 * UTC), not an offset, so that summer time is followed.
 */
public final class TenancyNames {

    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F]");

    private TenancyNames() {
    }

    /** The name trimmed, or null after adding the field's error to {@code errors}. */
    public static String name(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "a name is needed"));
            return null;
        }
        String name = value.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError(field, "at most " + MAX_NAME_LENGTH + " characters (this one has " + name.length() + ")"));
            return null;
        }
        if (CONTROL.matcher(name).find()) {
            errors.add(new FieldError(field, "must not contain control characters such as NUL, tab or a line break"));
            return null;
        }
        return name;
    }

    /** Free text (a reason) trimmed, at most {@code max} characters and without control characters other than line breaks. */
    public static String text(String field, String value, int max, List<FieldError> errors) {
        String text = value.strip();
        if (text.length() > max) {
            errors.add(new FieldError(field, "at most " + max + " characters (this one has " + text.length() + ")"));
            return null;
        }
        if (Pattern.compile("[\\x00-\\x09\\x0B\\x0C\\x0E-\\x1F\\x7F]").matcher(text).find()) {
            errors.add(new FieldError(field, "must not contain control characters such as NUL"));
            return null;
        }
        return text;
    }

    /** The zone's id, or null after adding the field's error to {@code errors}. */
    public static String timeZone(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "a time zone is needed, like Europe/London or Australia/Melbourne"));
            return null;
        }
        String id = value.strip();
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            errors.add(new FieldError(field, "\"" + abbreviate(id) + "\" is not an IANA time zone; use one like Europe/London, "
                    + "Australia/Melbourne or UTC"));
            return null;
        }
        return id;
    }

    /** How two names are compared for "already used": case and surrounding spaces do not tell them apart. */
    public static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String value) {
        String printable = CONTROL.matcher(value).replaceAll("?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
