package io.rampart.agent.collectors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.outbox.SetAside;
import io.rampart.protocol.ProtoTime;

/**
 * Builds the "I am alive" message: who is running, since when, how much is still waiting to be sent and how much
 * was set aside as undeliverable.
 */
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
        return now(outboxDepth, new SetAside.Summary(0, Optional.empty()));
    }

    /**
     * @param outboxDepth events waiting to be sent
     * @param setAside    the events set aside (refused by the control plane, too large, unreadable): how many, and since when
     */
    public io.rampart.protocol.agent.v1.Heartbeat now(long outboxDepth, SetAside.Summary setAside) {
        io.rampart.protocol.agent.v1.Heartbeat.Builder heartbeat = io.rampart.protocol.agent.v1.Heartbeat.newBuilder()
                .setAgentVersion(agentVersion)
                .setHostname(hostname)
                .setUptime(DesiredConfiguration.toProto(Duration.between(startedAt, clock.instant())))
                .setOutboxDepth(outboxDepth)
                .setEventsSetAside(setAside.count());
        setAside.oldestAt().ifPresent(at -> heartbeat.setOldestSetAsideAt(ProtoTime.timestamp(at)));
        return heartbeat.build();
    }
}
