package io.rampart.agent.nut;

/** A NUT conversation that did not give the answer asked for, with what went wrong in a person's words. */
public final class NutException extends Exception {

    /** What went wrong, so callers can word their summary (and pick ERROR vs FAIL) without parsing messages. */
    public enum Kind {
        /** Nothing listens at host:port, the name does not resolve, or the connection broke. */
        UNREACHABLE,
        /** upsd took longer than the timeout to connect or answer. */
        TIMEOUT,
        /** ERR UNKNOWN-UPS: upsd has no UPS of that name. */
        UNKNOWN_UPS,
        /** ERR ACCESS-DENIED and the other login errors. */
        ACCESS_DENIED,
        /** ERR DATA-STALE or DRIVER-NOT-CONNECTED: upsd knows the UPS but has no current data for it. */
        NO_DATA,
        /** ERR CMD-NOT-SUPPORTED: the UPS's driver has no such instant command (e.g. dummy-ups has none). */
        COMMAND_NOT_SUPPORTED,
        /** Any other ERR, or an answer that is not NUT's protocol. */
        PROTOCOL
    }

    private final Kind kind;
    private final String nutError;

    NutException(Kind kind, String nutError, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.nutError = nutError;
    }

    public Kind kind() {
        return kind;
    }

    /** The error code of an {@code ERR} line (e.g. "UNKNOWN-UPS"), empty for network problems. */
    public String nutError() {
        return nutError;
    }
}
