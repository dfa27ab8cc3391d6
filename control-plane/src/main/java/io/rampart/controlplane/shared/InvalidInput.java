package io.rampart.controlplane.shared;

import java.util.List;

/**
 * Input refused with a message per field, so a person can fix every mistake at once (HTTP 400). Bean Validation's
 * refusals of a request body are told in the same shape.
 */
public final class InvalidInput extends Refusal {

    public InvalidInput(String detail, List<FieldError> errors) {
        super(detail, errors, null);
    }
}
