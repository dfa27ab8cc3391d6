package io.rampart.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;

class OutboxTest {

    @TempDir
    Path directory;

    @Test
    void peeksTheOldestEventsFirstWhateverTheOrderOfAppending() {
        Outbox outbox = Outbox.open(directory);
        outbox.append(event("b", 200));
        outbox.append(event("a", 100));
        outbox.append(event("c", 300));

        assertThat(ids(outbox.peek(2))).containsExactly("a", "b");
        assertThat(ids(outbox.peek(10))).containsExactly("a", "b", "c");
        assertThat(outbox.size()).isEqualTo(3);
    }

    @Test
    void keepsEveryEventAcrossARestart() {
        Outbox before = Outbox.open(directory);
        before.append(event("first", 100));
        before.append(event("second", 200));

        Outbox after = Outbox.open(directory);

        assertThat(after.size()).isEqualTo(2);
        assertThat(after.peek(10)).containsExactly(event("first", 100), event("second", 200));
    }

    @Test
    void removesOnlyTheAcknowledgedEvents() {
        Outbox outbox = Outbox.open(directory);
        outbox.append(event("a", 100));
        outbox.append(event("b", 200));
        outbox.append(event("c", 300));

        outbox.remove(List.of("a", "c", "never-seen"));

        assertThat(ids(outbox.peek(10))).containsExactly("b");
        assertThat(ids(Outbox.open(directory).peek(10))).containsExactly("b");
    }

    @Test
    void appendingTheSameEventTwiceKeepsItOnce() {
        Outbox outbox = Outbox.open(directory);
        outbox.append(event("a", 100));
        outbox.append(event("a", 100));

        assertThat(outbox.size()).isEqualTo(1);
    }

    @Test
    void quarantinedEventsLeaveTheQueueAndKeepTheirReason() throws IOException {
        Outbox outbox = Outbox.open(directory);
        outbox.append(event("bad", 100));
        outbox.append(event("good", 200));

        outbox.quarantine("bad", "rejected by the control plane: no payload");

        assertThat(ids(outbox.peek(10))).containsExactly("good");
        assertThat(Outbox.open(directory).size()).isEqualTo(1);
        try (var rejected = Files.list(outbox.rejectedDirectory())) {
            List<Path> files = rejected.toList();
            assertThat(files).hasSize(2);
            Path reason = files.stream().filter(f -> f.toString().endsWith(".reason")).findFirst().orElseThrow();
            assertThat(Files.readString(reason)).contains("no payload");
        }
    }

    @Test
    void dropsHalfWrittenTempFilesLeftByACrash() throws IOException {
        Files.write(directory.resolve(".000000000100-000000000-x.event.abc.rampart-tmp"), new byte[] { 1, 2 });

        Outbox outbox = Outbox.open(directory);

        assertThat(outbox.size()).isZero();
        try (var files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void picksUpEventsAnotherProcessWroteIntoTheOutbox() {
        Outbox running = Outbox.open(directory);
        running.append(event("from-agent", 100));
        // the `report` command, run by backup software, opens the same outbox in its own process
        Outbox.open(directory).append(checkResult("from-report", 200));

        assertThat(ids(running.peek(10))).containsExactly("from-agent", "from-report");
        running.remove(List.of("from-report"));
        assertThat(Outbox.open(directory).size()).isEqualTo(1);
    }

    @Test
    void whenFullDropsTheOldestHeartbeatsButNeverACheckResult() {
        Outbox outbox = Outbox.open(directory, 20);
        for (int i = 0; i < 15; i++) {
            outbox.append(heartbeat("hb-" + i, 100 + i));
        }
        for (int i = 0; i < 5; i++) {
            outbox.append(checkResult("result-" + i, 200 + i));
        }
        outbox.append(checkResult("result-5", 300));

        List<String> ids = outbox.peek(100).stream().map(AgentEvent::getEventId).toList();
        assertThat(ids).contains("result-0", "result-1", "result-2", "result-3", "result-4", "result-5");
        assertThat(ids).doesNotContain("hb-0").contains("hb-14");
        assertThat(outbox.size()).isLessThan(20);
        assertThat(outbox.compactedHeartbeats()).isPositive();
        // what was dropped is gone from disk too
        assertThat(Outbox.open(directory, 20).size()).isEqualTo(outbox.size());
    }

    @Test
    void keepsCheckResultsPastTheBoundWhenNoHeartbeatIsLeftToDrop() {
        Outbox outbox = Outbox.open(directory, 5);
        for (int i = 0; i < 8; i++) {
            outbox.append(checkResult("result-" + i, 100 + i));
        }
        assertThat(outbox.size()).isEqualTo(8);
    }

    private static AgentEvent heartbeat(String id, long seconds) {
        return event(id, seconds);
    }

    private static AgentEvent checkResult(String id, long seconds) {
        return event(id, seconds).toBuilder().setCheckResult(io.rampart.protocol.agent.v1.CheckResult.newBuilder()
                .setCheckId("nas-copy").setStatus(io.rampart.protocol.agent.v1.CheckStatus.CHECK_STATUS_PASS)).build();
    }

    private static AgentEvent event(String id, long seconds) {
        return AgentEvent.newBuilder().setEventId(id).setPracticeId("practice-7")
                .setOccurredAt(Timestamp.newBuilder().setSeconds(seconds))
                .setHeartbeat(Heartbeat.newBuilder().setHostname("reception-pc")).build();
    }

    private static List<String> ids(List<AgentEvent> events) {
        return events.stream().map(AgentEvent::getEventId).toList();
    }
}
