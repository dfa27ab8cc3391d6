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

    /**
     * The duration as a protobuf Duration. Java keeps a negative duration as negative seconds plus positive nanos
     * (-0.25 s is -1 s + 750,000,000 ns); protobuf's duration.proto requires seconds and nanos of the same sign
     * (-0.25 s is 0 s and -250,000,000 ns), and the control plane refuses the other form as unstorable.
     */
    public static com.google.protobuf.Duration duration(Duration duration) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (seconds < 0 && nanos > 0) {
            seconds += 1;
            nanos -= 1_000_000_000;
        }
        return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }

    public static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
