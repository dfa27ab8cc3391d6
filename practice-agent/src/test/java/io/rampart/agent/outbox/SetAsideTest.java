package io.rampart.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;

class SetAsideTest {

    private static final Instant NOW = Instant.parse("2026-11-30T07:00:00Z");

    @TempDir
    Path outbox;

    @Test
    void takesOverWhatAnEarlierAgentQuarantinedKeepingItsReasonAndWhen() throws IOException {
        Path rejected = Files.createDirectories(outbox.resolve("rejected"));
        String name = "000000000100-000000000-old-1.event";
        Files.write(rejected.resolve(name), AgentEvent.newBuilder().setEventId("old-1").setOccurredAt(Timestamp.newBuilder().setSeconds(100))
                .setHeartbeat(Heartbeat.getDefaultInstance()).build().toByteArray());
        Files.writeString(rejected.resolve(name + ".reason"), "rejected by the control plane: an event has no payload\n");
        Instant then = Instant.parse("2026-10-01T10:00:00Z");
        Files.setLastModifiedTime(rejected.resolve(name + ".reason"), FileTime.from(then));

        SetAside setAside = Outbox.open(outbox, Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(NOW, ZoneOffset.UTC)).setAsideEvents();

        assertThat(setAside.list()).containsExactly(new SetAside.Entry(name, "old-1", then,
                "rejected by the control plane: an event has no payload", Files.size(setAside.directory().resolve(name))));
        assertThat(setAside.summary()).isEqualTo(new SetAside.Summary(1, Optional.of(then)));
        try (var left = Files.list(rejected)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aHugeFileInTheOutboxIsSetAsideUnreadAndTheEventsBehindItAreStillPeeked() throws IOException {
        Outbox running = Outbox.open(outbox, Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(NOW, ZoneOffset.UTC));
        try (var file = new java.io.RandomAccessFile(outbox.resolve("000000000001-000000000-huge.event").toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024); // sparse: 3 GiB, more than a Java array can hold
        }
        running.append(AgentEvent.newBuilder().setEventId("after").setOccurredAt(Timestamp.newBuilder().setSeconds(5))
                .setHeartbeat(Heartbeat.getDefaultInstance()).build());

        assertThat(running.peek(10)).extracting(AgentEvent::getEventId).containsExactly("after");
        assertThat(running.setAsideEvents().list()).singleElement().satisfies(entry -> {
            assertThat(entry.eventId()).isEqualTo("huge");
            assertThat(entry.reason()).isEqualTo("the file is 3221225472 bytes, far more than any event (at most 262144 bytes can be"
                    + " delivered); it is not read");
        });
    }

    @Test
    void anEventSetAsideByAnotherProcessIsCountedAndOneTakenBackIsNot() {
        Outbox running = Outbox.open(outbox, Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(running.setAsideEvents().summary().count()).isZero();
        Outbox other = Outbox.open(outbox, Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(NOW, ZoneOffset.UTC));
        other.append(AgentEvent.newBuilder().setEventId("e-1").setOccurredAt(Timestamp.newBuilder().setSeconds(5))
                .setHeartbeat(Heartbeat.getDefaultInstance()).build());
        other.setAside("e-1", "too large");

        assertThat(running.setAsideEvents().summary()).isEqualTo(new SetAside.Summary(1, Optional.of(NOW)));
        other.setAsideEvents().putBack(Optional.of("e-1"));
        assertThat(running.setAsideEvents().summary().count()).isZero();
        assertThat(running.peek(10)).extracting(AgentEvent::getEventId).containsExactly("e-1");
    }
}
