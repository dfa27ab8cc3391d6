package io.rampart.agent.outbox;

import java.nio.file.Path;

import io.rampart.protocol.agent.v1.AgentEvent;

/**
 * What the agent service sees of an outbox, run in a JVM of its own as another user (see ReportAsRootTest): prints
 * the id of each event it can read, one a line, then "set aside: <id>: <reason>" for each event set aside.
 */
public final class OutboxReader {

    private OutboxReader() {
    }

    public static void main(String[] args) {
        Outbox outbox = Outbox.open(Path.of(args[0]));
        for (AgentEvent event : outbox.peek(100)) {
            System.out.println(event.getEventId());
        }
        for (SetAside.Entry entry : outbox.setAsideEvents().list()) {
            System.out.println("set aside: " + entry.eventId() + ": " + entry.reason());
        }
    }
}
