package io.rampart.controlplane.people;

/**
 * A name or email is already taken (Keycloak has a person with this email, or a provider has this name): shown as 409
 * naming the field. Nothing was created.
 */
public class AlreadyRegistered extends RuntimeException {

    private final String field;

    public AlreadyRegistered(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request body's field that clashes, e.g. {@code email}. */
    public String field() {
        return field;
    }
}
