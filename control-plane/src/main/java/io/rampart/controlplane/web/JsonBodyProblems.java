package io.rampart.controlplane.web;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.rampart.controlplane.shared.InvalidInput;

/**
 * A request body Jackson could not read, told as a person can act on it: which field (a dotted
 * path such as {@code quietHours.from}) and what it should hold, or where the body stops being
 * JSON, instead of Jackson's own text (Java type names, "[Source: REDACTED ...]").
 */
final class JsonBodyProblems {

    private JsonBodyProblems() {
    }

    /** The 400 for {@code exception}, which is one of Jackson's (parse, mapping, limits). */
    static InvalidInput describe(JsonProcessingException exception) {
        if (exception instanceof StreamConstraintsException) {
            return new InvalidInput("The request body is nested too deeply, or holds a number or a text longer than the control plane"
                    + " reads (at most 1000 levels of nesting and 1000 digits)", List.of());
        }
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String expected = expected(mapping).map(what -> "must be " + what).orElse("has a value of the wrong kind");
            return new InvalidInput(field + " " + expected, List.of(new InvalidInput.FieldError(field, capitalised(expected))));
        }
        if (exception instanceof MismatchedInputException mismatch) {
            String expected = expected(mismatch).orElse("a JSON object");
            return new InvalidInput("The request body must be " + expected, List.of());
        }
        if (exception instanceof com.fasterxml.jackson.core.exc.InputCoercionException coercion) {
            String field = currentField(coercion).orElse(null);
            String message = "is a number out of range (whole numbers go up to " + Integer.MAX_VALUE + ")";
            return field == null ? new InvalidInput("A number in the request body " + message, List.of())
                    : new InvalidInput(field + " " + message, List.of(new InvalidInput.FieldError(field, capitalised(message))));
        }
        if (exception instanceof com.fasterxml.jackson.core.JsonParseException parse && String.valueOf(parse.getOriginalMessage())
                .startsWith("Duplicate field")) {
            // StrictJson: the parser stops at the second one
            String field = currentField(parse).orElse("a member");
            String message = "is given twice; give each member once";
            return new InvalidInput(field + " " + message, List.of(new InvalidInput.FieldError(field, capitalised(message))));
        }
        JsonLocation at = exception.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new InvalidInput("The request body is not valid JSON" + where + ": check quotes, commas and brackets", List.of());
    }

    /** The field the parser was reading when it failed, when it knows. */
    private static Optional<String> currentField(com.fasterxml.jackson.core.exc.StreamReadException exception) {
        try {
            return exception.getProcessor() == null ? Optional.empty() : Optional.ofNullable(exception.getProcessor().currentName());
        } catch (java.io.IOException | RuntimeException unknown) {
            return Optional.empty();
        }
    }

    private static Optional<String> expected(JsonMappingException exception) {
        Class<?> type = exception instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (type == null) {
            return Optional.empty();
        }
        if (type.isEnum()) {
            return Optional.of("one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return Optional.of("a whole number" + (exception instanceof InvalidFormatException ? " within range" : ""));
        }
        if (type == Boolean.class || type == boolean.class) {
            return Optional.of("true or false");
        }
        if (type == String.class) {
            return Optional.of("a text");
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return Optional.of("a list");
        }
        if (type == java.time.Instant.class) {
            return Optional.of("an ISO-8601 instant such as 2026-05-01T09:00:00Z");
        }
        if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
            return Optional.of("an object");
        }
        return Optional.empty();
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
