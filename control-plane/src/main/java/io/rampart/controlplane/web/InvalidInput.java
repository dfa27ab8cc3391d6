package io.rampart.controlplane.web;

import java.util.List;

/**
 * Input refused with a message per field, so a person can fix every mistake at once; shown as a
 * 400 problem with an {@code errors} list. Nothing was changed.
 */
public class InvalidInput extends RuntimeException {

    /** One field's problem; {@code field} is a dotted path into the request body, e.g. {@code document.rules.ups.selfTestEvery}. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public InvalidInput(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
