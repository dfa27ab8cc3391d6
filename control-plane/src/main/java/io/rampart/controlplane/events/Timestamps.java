package io.rampart.controlplane.events;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import io.rampart.protocol.ProtoTime;

/** Conversions between protobuf's Timestamp and java.time, as the control plane's event code names them (see ProtoTime). */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp of(Instant instant) {
        return ProtoTime.timestamp(instant);
    }

    public static Instant toInstant(Timestamp timestamp) {
        return ProtoTime.instant(timestamp);
    }
}
