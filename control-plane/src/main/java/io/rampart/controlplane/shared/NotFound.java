package io.rampart.controlplane.shared;

/**
 * The thing does not exist, or is outside the caller's tenancy: the two are never told apart, and the id is never
 * echoed (HTTP 404).
 */
public final class NotFound extends Refusal {

    public NotFound(String detail) {
        super(detail, java.util.List.of(), null);
    }
}
