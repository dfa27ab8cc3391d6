package io.rampart.controlplane.events;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Appends agents' events to the agent-events topic, keyed by practice so that one practice's
 * events stay in order. A call returns only when every event is replicated, which is what lets
 * the agent forget them.
 */
@ApplicationScoped
public class AgentEventLog {

    @Inject
    ReliableProducer producer;
    @Inject
    KafkaClients clients;

    public void append(List<RecordedEvent> events) throws EventLogUnavailable {
        producer.write(clients.agentEventsTopic(),
                events.stream().map(e -> new ReliableProducer.Keyed(e.getPracticeId(), e.toByteArray())).toList());
    }
}
