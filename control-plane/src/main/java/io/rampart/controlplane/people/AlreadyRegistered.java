package io.rampart.controlplane.people;

import java.util.List;

import io.rampart.controlplane.shared.Conflict;

/**
 * A name or email is already taken (Keycloak has a person with this email, or a provider has this name): shown as 409
 * naming the field. Nothing was created.
 */
public class AlreadyRegistered extends Conflict {

    /**
     * The one answer for an email Keycloak already has, unless it is one of the caller's own people (see Invitations): the
     * same words whoever's account it is, so a provider learns nothing of another provider's people from them.
     */
    public static final String EMAIL_NOT_INVITABLE = "This email address cannot be invited. If the person already uses Rampart "
            + "with it, invite them with another address, or ask whoever runs this Rampart installation";

    /** Keycloak refused the email (it is some account's username or email already), said neutrally. */
    public static AlreadyRegistered emailNotInvitable() {
        return new AlreadyRegistered("email", EMAIL_NOT_INVITABLE);
    }

    /** {@code field}: the request body's field that clashes, e.g. {@code email}. */
    public AlreadyRegistered(String field, String message) {
        super(message, List.of(new FieldError(field, message)));
    }
}
