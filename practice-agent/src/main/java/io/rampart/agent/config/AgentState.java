package io.rampart.agent.config;

import java.time.Instant;
import java.util.Optional;

/** What the agent remembers between runs besides its outbox: the last configuration and delivery. */
public record AgentState(DesiredConfiguration configuration, Optional<Instant> lastDeliveryAt) {

    public static AgentState initial() {
        return new AgentState(DesiredConfiguration.defaults(), Optional.empty());
    }

    public AgentState withConfiguration(DesiredConfiguration newConfiguration) {
        return new AgentState(newConfiguration, lastDeliveryAt);
    }

    public AgentState withLastDeliveryAt(Instant at) {
        return new AgentState(configuration, Optional.of(at));
    }
}
