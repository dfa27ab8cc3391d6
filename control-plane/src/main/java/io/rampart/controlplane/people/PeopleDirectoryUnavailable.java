package io.rampart.controlplane.people;

import io.rampart.controlplane.shared.Unavailable;

/**
 * Keycloak's admin API could not be used: not reachable, not configured, or it refused the control plane's service
 * account. Shown as 503 with this message; nothing was changed (or, for a change that needed several calls, what was
 * done is undone where possible and the message says what is left).
 */
public class PeopleDirectoryUnavailable extends Unavailable {

    public PeopleDirectoryUnavailable(String message) {
        super(message, null);
    }

    public PeopleDirectoryUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
