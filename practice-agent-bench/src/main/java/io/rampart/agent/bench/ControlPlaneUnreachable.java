package io.rampart.agent.bench;

/** The control plane did not answer at all (connection refused, timed out, unknown host): exit 2. */
final class ControlPlaneUnreachable extends RuntimeException {

    ControlPlaneUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
