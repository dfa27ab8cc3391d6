package io.rampart.agent.config;

import java.time.Duration;
import java.util.List;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * What the control plane wants this agent to do, with the defaults an agent uses for
 * anything left unset (or before it has ever reached the control plane).
 */
public record DesiredConfiguration(AgentConfiguration proto) {

    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_BATCH_SIZE = 500;

    /** The configuration of an agent that has never heard from the control plane: heartbeats only. */
    public static DesiredConfiguration defaults() {
        return new DesiredConfiguration(AgentConfiguration.getDefaultInstance());
    }

    public long version() {
        return proto.getVersion();
    }

    public Duration heartbeatInterval() {
        return positiveOr(proto.hasHeartbeatInterval() ? toDuration(proto.getHeartbeatInterval()) : Duration.ZERO,
                DEFAULT_HEARTBEAT_INTERVAL);
    }

    public int maxBatchSize() {
        return proto.getMaxBatchSize() > 0 ? proto.getMaxBatchSize() : DEFAULT_MAX_BATCH_SIZE;
    }

    public List<CheckDefinition> checks() {
        return proto.getChecksList();
    }

    public static Duration intervalOf(CheckDefinition check) {
        return positiveOr(check.hasInterval() ? toDuration(check.getInterval()) : Duration.ZERO, DEFAULT_CHECK_INTERVAL);
    }

    public static Duration toDuration(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    /** As {@link ProtoTime#duration(Duration)}: seconds and nanos of the same sign, as protobuf requires. */
    public static com.google.protobuf.Duration toProto(Duration d) {
        return ProtoTime.duration(d);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value.isZero() || value.isNegative() ? fallback : value;
    }
}
