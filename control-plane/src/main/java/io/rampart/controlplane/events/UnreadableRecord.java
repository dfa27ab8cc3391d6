package io.rampart.controlplane.events;

/**
 * Thrown by a consumer's handler for a record whose bytes are not the message its topic carries:
 * no retry can help, so TopicConsumer sends it to the dead letters at once.
 */
public class UnreadableRecord extends RuntimeException {

    public UnreadableRecord(String topic, int partition, long offset, Throwable cause) {
        super("record " + topic + "-" + partition + "@" + offset + " is not readable: " + cause.getMessage(), cause);
    }
}
