package io.rampart.protocol;

import java.time.Duration;
import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Conversions between java.time and protobuf's well-known time types, for the agent and the control plane alike. */
public final class ProtoTime {

    private ProtoTime() {
    }

    /** The instant as a protobuf Timestamp (seconds and nanos since the epoch, UTC). */
    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** The duration as a protobuf Duration (seconds and nanos). */
    public static com.google.protobuf.Duration duration(Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    public static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
