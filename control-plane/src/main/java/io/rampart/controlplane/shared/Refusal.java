package io.rampart.controlplane.shared;

import java.util.List;

/**
 * What a service refuses to do, in words the person who asked can act on; nothing was changed. Services throw these
 * and know nothing of HTTP: the web layer ({@code web/ProblemDetails}) gives each kind its status and writes it as
 * RFC 9457 problem+json, with {@link #errors()} as the field-by-field list the web UI shows under each field.
 *
 * <p>Anything else a request throws (an {@code IllegalArgumentException} or {@code IllegalStateException} from a bug,
 * a database error) is a 500 whose text is logged, never shown.
 */
public abstract sealed class Refusal extends RuntimeException permits InvalidInput, NotFound, NotPermitted, Conflict, Unavailable {

    /** One field's problem; {@code field} is a dotted path into the request body, e.g. {@code document.rules.ups.selfTestEvery}. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    protected Refusal(String detail, List<FieldError> errors, Throwable cause) {
        super(detail, cause);
        this.errors = List.copyOf(errors);
    }

    /** The fields at fault, each with its message; empty when the refusal is not about a field. */
    public List<FieldError> errors() {
        return errors;
    }
}
