package io.rampart.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.outbox.Outbox;
import io.rampart.agent.schedule.RunningChecks;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.Heartbeat;

class SetAsideCommandTest {

    private static final Instant SET_ASIDE_AT = Instant.parse("2026-11-30T06:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-30T08:05:00Z");

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private AgentHome home;

    @BeforeEach
    void enrolAndSetTwoEventsAside() {
        home = AgentHome.at(directory);
        home.writeIdentity(new EnrolledIdentity(URI.create("https://localhost:9000"), "agent-1", "practice-7", "Praxis Dr. Example"));
        Outbox outbox = Outbox.open(home.outboxDirectory(), Outbox.DEFAULT_MAX_EVENTS, Clock.fixed(SET_ASIDE_AT, ZoneOffset.UTC));
        for (String id : List.of("nul-label", "too-large", "waiting")) {
            outbox.append(AgentEvent.newBuilder().setEventId(id).setPracticeId("practice-7")
                    .setOccurredAt(Timestamp.newBuilder().setSeconds(1_000)).setHeartbeat(Heartbeat.getDefaultInstance()).build());
        }
        outbox.setAside("nul-label", "refused by the control plane: event nul-label has a text PostgreSQL cannot store (a NUL character)"
                + " (field check_result.usb_rotation.attached_label)");
        outbox.setAside("too-large", "the event is 300000 bytes serialised, over the 262144 bytes (256 KiB) the control plane accepts");
    }

    @Test
    void statusCountsTheSetAsideEventsWithTheOldestAndEachReason() {
        assertThat(run("status", "--home", directory.toString())).isZero();

        assertThat(out()).contains("outbox depth:     1\n")
                .contains("set aside:        2 events, the oldest since 2026-11-30T06:00:00Z (not sent: `rampart-agent set-aside list`"
                        + " shows them, `... retry` sends them again)\n")
                .contains("                  - refused by the control plane: event nul-label has a text PostgreSQL cannot store"
                        + " (a NUL character) (field check_result.usb_rotation.attached_label)\n")
                .contains("                  - the event is 300000 bytes serialised, over the 262144 bytes (256 KiB) the control plane accepts\n")
                .contains("checks running:   none\n");
    }

    @Test
    void listShowsEachSetAsideEventWithWhenAndWhyAndHowToSendItAgain() {
        assertThat(run("set-aside", "list", "--home", directory.toString())).isZero();

        assertThat(out()).startsWith("2 events set aside in " + home.outboxDirectory().resolve("set-aside") + " (not sent until put back):\n")
                .contains("  nul-label  set aside 2026-11-30T06:00:00Z  ")
                .contains("      refused by the control plane: event nul-label has a text PostgreSQL cannot store")
                .contains("once the cause is fixed, `rampart-agent set-aside retry` puts them back into the outbox");
    }

    @Test
    void retryPutsOneOrAllSetAsideEventsBackIntoTheOutbox() {
        assertThat(run("set-aside", "retry", "--event", "nul-label", "--home", directory.toString())).isZero();
        assertThat(out()).contains("put 1 event back into the outbox: the running agent sends them within seconds");
        assertThat(Outbox.open(home.outboxDirectory()).size()).isEqualTo(2);

        assertThat(run("set-aside", "retry", "--home", directory.toString())).isZero();
        assertThat(Outbox.open(home.outboxDirectory()).size()).isEqualTo(3);
        assertThat(Outbox.open(home.outboxDirectory()).setAsideEvents().list()).isEmpty();

        assertThat(run("set-aside", "retry", "--event", "nul-label", "--home", directory.toString())).isEqualTo(1);
        assertThat(err()).contains("no set-aside event nul-label: `rampart-agent set-aside list` shows them");
    }

    @Test
    void setAsideWithoutListOrRetryPrintsUsageAndExits64() {
        assertThat(run("set-aside", "--home", directory.toString())).isEqualTo(64);
        assertThat(err()).contains("set-aside needs one of: list, retry (not --home)").contains("set-aside retry [--event ID]");
    }

    @Test
    void statusShowsACheckStillRunningAndHowOftenItCameDueMeanwhile() {
        RunningChecks.write(home.runningChecksFile(), NOW, List.of(new RunningChecks.Run("restore-test", SET_ASIDE_AT, true, 3)));

        assertThat(run("status", "--home", directory.toString())).isZero();

        assertThat(out()).contains("checks running:   restore-test running since 2026-11-30T06:00:00Z (2 h 5 min); came due 3 times"
                + " meanwhile, not started twice\n");
    }

    private int run(String... args) {
        return new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
                Clock.fixed(NOW, ZoneOffset.UTC)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
