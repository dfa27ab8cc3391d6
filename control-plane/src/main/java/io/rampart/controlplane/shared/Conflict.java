package io.rampart.controlplane.shared;

import java.util.List;

/**
 * The change cannot be made in the state things are in now (HTTP 409): a decommissioned practice, an archived group, a
 * name already taken, an edit based on an older version. The message says what is in the way and what to do instead;
 * {@code errors} names the field when one field is the cause.
 */
public non-sealed class Conflict extends Refusal {

    public Conflict(String detail) {
        super(detail, List.of(), null);
    }

    public Conflict(String detail, List<FieldError> errors) {
        super(detail, errors, null);
    }
}
