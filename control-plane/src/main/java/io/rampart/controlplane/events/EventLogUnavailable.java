package io.rampart.controlplane.events;

/** Kafka did not take the records; the caller keeps them (or rolls back) and tries again later. */
public class EventLogUnavailable extends Exception {
    public EventLogUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
