package io.rampart.agent.collectors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.rampart.agent.config.DesiredConfiguration;

/** Builds the "I am alive" message: who is running, since when, and how much is still waiting to be sent. */
public final class Heartbeat {

    private final Clock clock;
    private final Instant startedAt;
    private final String hostname;
    private final String agentVersion;

    public Heartbeat(Clock clock, String hostname, String agentVersion) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.hostname = hostname;
        this.agentVersion = agentVersion;
    }

    public io.rampart.protocol.agent.v1.Heartbeat now(long outboxDepth) {
        return io.rampart.protocol.agent.v1.Heartbeat.newBuilder()
                .setAgentVersion(agentVersion)
                .setHostname(hostname)
                .setUptime(DesiredConfiguration.toProto(Duration.between(startedAt, clock.instant())))
                .setOutboxDepth(outboxDepth)
                .build();
    }
}
