package io.rampart.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.testing.RealServers;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.RecordedEvent;

/** A whole poll applied at once gives what applying its events one by one would. */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class FleetProjectionBatchTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Inject
    FleetProjection projection;

    private final UUID provider = UUID.randomUUID();
    private final UUID group = UUID.randomUUID();
    private final UUID practice = UUID.randomUUID();
    private final UUID agent = UUID.randomUUID();

    @Test
    void theSameEventTwiceInOnePollCountsOnceAndAReplayChangesNothing() {
        RecordedEvent heartbeat = heartbeat(UUID.randomUUID(), 10, "host-a", "1.0");
        RecordedEvent result = result(UUID.randomUUID(), "nas-copy", 5, CheckStatus.CHECK_STATUS_PASS);

        assertThat(apply(heartbeat, result, heartbeat)).isEqualTo(new FleetProjection.Outcome(2, 1));
        assertThat(apply(result, heartbeat)).isEqualTo(new FleetProjection.Outcome(0, 2));
        assertThat(historyCount()).isEqualTo(2);
    }

    @Test
    void theNewestObservationOfAPollWinsWhateverItsPlaceAndALateOneNeverOverwrites() {
        UUID newest = UUID.randomUUID();
        apply(result(UUID.randomUUID(), "nas-copy", 20, CheckStatus.CHECK_STATUS_PASS),
                result(newest, "nas-copy", 30, CheckStatus.CHECK_STATUS_FAIL),
                result(UUID.randomUUID(), "nas-copy", 10, CheckStatus.CHECK_STATUS_PASS),
                result(UUID.randomUUID(), "usb", 1, CheckStatus.CHECK_STATUS_PASS));
        assertThat(checkState("nas-copy").eventId).isEqualTo(newest);
        assertThat(checkState("nas-copy").status).isEqualTo(CheckOutcome.FAIL);
        assertThat(checkState("nas-copy").observedAt).isEqualTo(T0.plusSeconds(30));
        assertThat(checkState("usb")).isNotNull();

        apply(result(UUID.randomUUID(), "nas-copy", 29, CheckStatus.CHECK_STATUS_PASS));
        assertThat(checkState("nas-copy").eventId).isEqualTo(newest);

        // an observation at the same instant replaces the stored one, as one by one it did; so does the later of two ties
        UUID tieFirst = UUID.randomUUID();
        UUID tieSecond = UUID.randomUUID();
        apply(result(tieFirst, "nas-copy", 30, CheckStatus.CHECK_STATUS_PASS), result(tieSecond, "nas-copy", 30, CheckStatus.CHECK_STATUS_PASS));
        assertThat(checkState("nas-copy").eventId).isEqualTo(tieSecond);
    }

    @Test
    void presenceKeepsTheLatestTimeAndTheLastHostnameAndVersionGiven() {
        apply(heartbeat(UUID.randomUUID(), 50, "host-a", "1.0"),
                heartbeat(UUID.randomUUID(), 40, "host-b", ""),
                result(UUID.randomUUID(), "nas-copy", 45, CheckStatus.CHECK_STATUS_PASS));
        AgentPresence presence = presence();
        assertThat(presence.lastSeenAt).isEqualTo(T0.plusSeconds(50).plusMillis(1));
        assertThat(presence.hostname).isEqualTo("host-b");
        assertThat(presence.agentVersion).isEqualTo("1.0");
        assertThat(presence.practiceId).isEqualTo(practice);

        apply(heartbeat(UUID.randomUUID(), 20, " ", "2.0"));
        presence = presence();
        assertThat(presence.lastSeenAt).isEqualTo(T0.plusSeconds(50).plusMillis(1));
        assertThat(presence.hostname).isEqualTo("host-b");
        assertThat(presence.agentVersion).isEqualTo("2.0");
    }

    @Test
    void anAgentWhoseClockRanAYearAheadDoesNotFreezeItsChecksOnceItsClockIsPutRight() {
        Duration yearAhead = Duration.ofDays(365);
        UUID wrongClock = UUID.randomUUID();
        RecordedEvent ahead = result(wrongClock, "nas-copy", 10, CheckStatus.CHECK_STATUS_PASS).toBuilder()
                .setEvent(result(wrongClock, "nas-copy", 10, CheckStatus.CHECK_STATUS_PASS).getEvent().toBuilder()
                        .setOccurredAt(ProtoTime.timestamp(T0.plusSeconds(10).plus(yearAhead))))
                .setAgentClockOffset(ProtoTime.duration(yearAhead)).build();
        apply(ahead);
        assertThat(checkState("nas-copy").observedAt).as("never later than received").isEqualTo(T0.plusSeconds(10).plusMillis(1));
        assertThat(presence().clockOffsetMs).isEqualTo(yearAhead.toMillis());

        UUID putRight = UUID.randomUUID();
        apply(result(putRight, "nas-copy", 20, CheckStatus.CHECK_STATUS_FAIL).toBuilder().setAgentClockOffset(ProtoTime.duration(Duration.ZERO))
                .build());
        assertThat(checkState("nas-copy").eventId).isEqualTo(putRight);
        assertThat(presence().clockOffsetMs).isZero();

        // a batch that says nothing of the clock (an older agent) leaves the last known offset
        apply(heartbeat(UUID.randomUUID(), 30, "host-a", "1.0"));
        assertThat(presence().clockOffsetMs).isZero();
    }

    @Test
    void backupsDatedInTheFutureAreKeptWithTheCheckForTheRules() {
        RecordedEvent event = result(UUID.randomUUID(), "nas-copy", 10, CheckStatus.CHECK_STATUS_WARN);
        event = event.toBuilder().setEvent(event.getEvent().toBuilder().setCheckResult(event.getEvent().getCheckResult().toBuilder()
                .addFutureDated(FutureDatedItem.newBuilder().setName("touched.bak").setDatedAt(ProtoTime.timestamp(T0.plus(Duration.ofDays(365)))))))
                .build();
        apply(event);

        assertThat(checkState("nas-copy").futureDated).contains("touched.bak");
        apply(result(UUID.randomUUID(), "nas-copy", 20, CheckStatus.CHECK_STATUS_PASS));
        assertThat(checkState("nas-copy").futureDated).isEqualTo("[]");
    }

    @Test
    void theEventsAnAgentSetAsideComeFromItsLatestHeartbeatAndAnOlderAgentsHeartbeatMeansNone() {
        Instant since = Instant.parse("2026-11-19T06:10:00Z");
        apply(setAside(heartbeat(UUID.randomUUID(), 10, "host-a", "1.0"), 3, since),
                result(UUID.randomUUID(), "nas-copy", 20, CheckStatus.CHECK_STATUS_PASS));
        assertThat(presence().eventsSetAside).isEqualTo(3);
        assertThat(presence().oldestSetAsideAt).isEqualTo(since);

        // a check result says nothing of them; a late heartbeat received earlier does not count
        apply(result(UUID.randomUUID(), "nas-copy", 30, CheckStatus.CHECK_STATUS_PASS));
        apply(setAside(heartbeat(UUID.randomUUID(), 5, "host-a", "1.0"), 9, since));
        assertThat(presence().setAside()).isEqualTo(3);

        // a heartbeat without the fields (an older agent, or none left) means none
        apply(heartbeat(UUID.randomUUID(), 40, "host-a", "1.0"));
        assertThat(presence().setAside()).isZero();
        assertThat(presence().oldestSetAsideAt).isNull();
    }

    @Test
    void everyExtremeValueTheValidatorAcceptsIsStoredAndReadBack() throws Exception {
        String odd = "\u0001\t\n\r\u001b\u007f\u00a0\u200b\u202e\u2028\ufeff\uffff\ud83d\ude00 é 日本 ' \" \\ % \\u0000";
        com.google.protobuf.Timestamp last = ProtoTime.timestamp(Instant.parse("9999-12-31T23:59:59.999999999Z"));
        com.google.protobuf.Timestamp first = ProtoTime.timestamp(Instant.parse("0001-01-01T00:00:00Z"));
        com.google.protobuf.Duration longest = com.google.protobuf.Duration.newBuilder().setSeconds(315_576_000_000L).setNanos(999_999_999).build();
        com.google.protobuf.Duration mostNegative = com.google.protobuf.Duration.newBuilder().setSeconds(-315_576_000_000L).setNanos(-999_999_999).build();
        UUID id = UUID.randomUUID();
        AgentEvent event = AgentEvent.newBuilder().setEventId(id.toString()).setPracticeId(practice.toString())
                .setOccurredAt(ProtoTime.timestamp(T0.plus(Duration.ofDays(366))))
                .setCheckResult(CheckResult.newBuilder().setCheckId("c".repeat(100)).setKind(CheckKind.CHECK_KIND_DATABASE_SYNC)
                        .setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(odd + "s".repeat(4000 - odd.length())).setDuration(longest)
                        .addFutureDated(FutureDatedItem.newBuilder().setName(odd).setDatedAt(last).setSeenAt(first))
                        .setDatabaseSync(io.rampart.protocol.agent.v1.DatabaseSyncObservation.newBuilder().setEngine(odd)
                                .setLag(mostNegative).setLastMessageAge(longest).setVerifiedAt(last)
                                .setVerification("v".repeat(io.rampart.controlplane.agents.StorableValues.MAX_TEXT_CHARS))))
                .build();
        assertThat(io.rampart.controlplane.agents.StorableValues.problemsOf(event)).isEmpty();
        RecordedEvent recorded = RecordedEvent.newBuilder().setEvent(event).setAgentId(agent.toString()).setPracticeId(practice.toString())
                .setGroupId(group.toString()).setProviderId(provider.toString()).setReceivedAt(ProtoTime.timestamp(T0)).build();

        assertThat(apply(recorded).applied()).isOne();

        CheckState stored = checkState("c".repeat(100));
        assertThat(stored.summary).startsWith(odd);
        assertThat(stored.futureDated).contains("9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z");
        io.rampart.protocol.agent.v1.DatabaseSyncObservation.Builder read = io.rampart.protocol.agent.v1.DatabaseSyncObservation.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(stored.details, read);
        assertThat(read.build()).isEqualTo(event.getCheckResult().getDatabaseSync());
        EventHistory history = QuarkusTransaction.requiringNew().call(() -> EventHistory.findById(id));
        assertThat(history.occurredAt).isEqualTo(T0.plus(Duration.ofDays(366)));
    }

    private static RecordedEvent setAside(RecordedEvent heartbeat, long events, Instant since) {
        return heartbeat.toBuilder().setEvent(heartbeat.getEvent().toBuilder().setHeartbeat(heartbeat.getEvent().getHeartbeat().toBuilder()
                .setEventsSetAside(events).setOldestSetAsideAt(ProtoTime.timestamp(since)))).build();
    }

    @Test
    void randomPollsEndAsTheSameEventsAppliedOneByOne() {
        Random random = new Random(42);
        List<RecordedEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(i > 0 && random.nextInt(10) == 0 ? events.get(random.nextInt(i))
                    : random.nextBoolean() ? heartbeat(UUID.randomUUID(), random.nextInt(40), random.nextBoolean() ? "host-" + i : "", "v" + random.nextInt(3))
                    : result(UUID.randomUUID(), "check-" + random.nextInt(4), random.nextInt(40),
                            random.nextBoolean() ? CheckStatus.CHECK_STATUS_PASS : CheckStatus.CHECK_STATUS_FAIL));
        }
        FleetProjectionBatchTest oneByOne = new FleetProjectionBatchTest(); // another agent at another practice
        oneByOne.projection = projection;
        int applied = 0;
        for (RecordedEvent event : events) {
            applied += oneByOne.apply(oneByOne.asOwn(event)).applied();
        }
        int appliedInPolls = 0;
        // polls of random sizes that overlap, as when a consumer replays part of what it applied
        for (int from = 0; from < events.size(); from += 1 + random.nextInt(60)) {
            appliedInPolls += apply(events.subList(from, Math.min(events.size(), from + 60)).toArray(RecordedEvent[]::new)).applied();
        }

        assertThat(appliedInPolls).isEqualTo(applied);
        AgentPresence expected = oneByOne.presence();
        assertThat(presence()).usingRecursiveComparison().ignoringFields("agentId", "practiceId", "groupId", "providerId")
                .isEqualTo(expected);
        for (int check = 0; check < 4; check++) {
            CheckState mine = checkState("check-" + check);
            CheckState theirs = oneByOne.checkState("check-" + check);
            assertThat(mine).usingRecursiveComparison().ignoringFields("practiceId", "groupId", "providerId", "eventId")
                    .isEqualTo(theirs);
        }
    }

    private FleetProjection.Outcome apply(RecordedEvent... events) {
        List<FleetProjection.Delivered> batch = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            batch.add(new FleetProjection.Delivered(events[i], 0, i));
        }
        return QuarkusTransaction.requiringNew().call(() -> projection.applyAll(batch));
    }

    /** The event as if this test's agent sent it (same event id: a replay stays a replay). */
    private RecordedEvent asOwn(RecordedEvent event) {
        return event.toBuilder().setAgentId(agent.toString()).setPracticeId(practice.toString()).setGroupId(group.toString())
                .setProviderId(provider.toString())
                .setEvent(event.getEvent().toBuilder().setEventId(UUID.nameUUIDFromBytes((event.getEvent().getEventId() + practice).getBytes()).toString()))
                .build();
    }

    private RecordedEvent heartbeat(UUID id, int second, String hostname, String version) {
        return recorded(AgentEvent.newBuilder().setEventId(id.toString()).setOccurredAt(ProtoTime.timestamp(T0.plusSeconds(second)))
                .setHeartbeat(Heartbeat.newBuilder().setHostname(hostname).setAgentVersion(version)), second);
    }

    private RecordedEvent result(UUID id, String checkId, int second, CheckStatus status) {
        return recorded(AgentEvent.newBuilder().setEventId(id.toString()).setOccurredAt(ProtoTime.timestamp(T0.plusSeconds(second)))
                .setCheckResult(CheckResult.newBuilder().setCheckId(checkId).setKind(CheckKind.CHECK_KIND_BACKUP_FOLDER)
                        .setStatus(status).setSummary("observed at " + second)),
                second);
    }

    private RecordedEvent recorded(AgentEvent.Builder event, int second) {
        return RecordedEvent.newBuilder().setEvent(event.setPracticeId(practice.toString())).setAgentId(agent.toString())
                .setPracticeId(practice.toString()).setGroupId(group.toString()).setProviderId(provider.toString())
                .setReceivedAt(ProtoTime.timestamp(T0.plusSeconds(second).plusMillis(1))).build();
    }

    private long historyCount() {
        return QuarkusTransaction.requiringNew().call(() -> EventHistory.count("practiceId", practice));
    }

    private AgentPresence presence() {
        return QuarkusTransaction.requiringNew().call(() -> AgentPresence.findById(agent));
    }

    private CheckState checkState(String checkId) {
        return QuarkusTransaction.requiringNew().call(() -> CheckState.findById(new CheckState.Key(practice, checkId)));
    }
}
