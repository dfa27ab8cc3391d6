package io.rampart.controlplane.shared;

import java.util.List;

/**
 * A service Rampart needs for this request (Keycloak, say) cannot be used now (HTTP 503 with Retry-After); nothing was
 * changed. The cause is logged for whoever runs the installation; the person reads only the message.
 */
public non-sealed class Unavailable extends Refusal {

    /** How long to wait before trying again, in seconds (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 30;

    public Unavailable(String detail, Throwable cause) {
        super(detail, List.of(), cause);
    }
}
