package io.rampart.controlplane.shared;

/** The caller is known but their role or account does not allow this (HTTP 403); the message says whom to ask. */
public final class NotPermitted extends Refusal {

    public NotPermitted(String detail) {
        super(detail, java.util.List.of(), null);
    }
}
