package io.rampart.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import io.rampart.controlplane.shared.Tenancy;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.Heartbeat;
import io.rampart.protocol.agent.v1.MediaSeen;
import io.rampart.protocol.agent.v1.ReadBack;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UsbRotationObservation;

/** Every kind of value the stores after Kafka cannot take is refused at ingest, named by event and field. */
class EventBatchValidatorTest {

    static final Instant NOW = Instant.parse("2026-11-29T06:10:00Z");
    static final AgentIdentity AGENT = new AgentIdentity(UUID.randomUUID(),
            new Tenancy(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()));
    static final String PRACTICE = AGENT.tenancy().practiceId().toString();

    @Test
    void refusesAUsbLabelWithANulNamingTheEventTheFieldAndThePosition() {
        AgentEvent good = heartbeat();
        AgentEvent poison = usb("USB\u0000X");

        BadRequest refusal = refused(good, poison);

        assertThat(refusal.getFieldViolationsList()).singleElement().satisfies(v -> {
            assertThat(v.getField()).isEqualTo("events[1].check_result.usb_rotation.attached_label");
            assertThat(v.getDescription()).isEqualTo("event " + poison.getEventId()
                    + ": check_result.usb_rotation.attached_label contains a NUL character (U+0000) at position 3;"
                    + " PostgreSQL text cannot store it");
        });
    }

    @Test
    void namesEveryBadEventOfABatchOncePerEventInTheGrpcStatus() {
        AgentEvent nulInList = check(CheckResult.newBuilder().setUsbRotation(UsbRotationObservation.newBuilder()
                .addMedia(MediaSeen.newBuilder().setMediaId("a")).addMedia(MediaSeen.newBuilder().setLabel("x\u0000")))).build();
        AgentEvent twoProblems = heartbeat().toBuilder().setHeartbeat(Heartbeat.newBuilder().setHostname("h\u0000")
                .setUptime(com.google.protobuf.Duration.newBuilder().setSeconds(Long.MAX_VALUE))).build();

        AgentApiException refusal = catchThrowableOfType(AgentApiException.class,
                () -> EventBatchValidator.validate(List.of(heartbeat(), nulInList, heartbeat(), twoProblems), AGENT, 500, NOW));

        StatusRuntimeException status = refusal.toStatus();
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).startsWith("2 of 4 events can never be stored: events[1]")
                .endsWith("set the events named aside and send the rest again");
        BadRequest detail = badRequest(status);
        assertThat(detail.getFieldViolationsList()).extracting(FieldViolation::getField)
                .containsExactly("events[1].check_result.usb_rotation.media[1].label", "events[3].heartbeat.hostname");
        assertThat(detail.getFieldViolations(1).getDescription()).contains("(and 1 more: heartbeat.uptime)");
    }

    @Test
    void refusesEveryStringPostgresqlCannotStoreAndTooLongText() {
        assertRefused(check(CheckResult.newBuilder().setSummary("ok\u0000")), "check_result.summary", "NUL character");
        assertRefused(check(CheckResult.newBuilder().setSummary("half a pair \uD83D")), "check_result.summary",
                "unpaired UTF-16 surrogate (U+D83D) at position 12");
        assertRefused(check(CheckResult.newBuilder().setSummary("\uDE00 alone")), "check_result.summary", "unpaired");
        assertRefused(check(CheckResult.newBuilder().setSummary("s".repeat(4001))), "check_result.summary",
                "is 4001 characters long; at most 4000 are accepted");
        assertRefused(check(CheckResult.newBuilder().setCheckId("c".repeat(101))), "check_result.check_id", "at most 100");
        assertRefused(check(CheckResult.newBuilder().setRepository(RepositoryObservation.newBuilder()
                .setLatestSnapshotId("f".repeat(201)))), "check_result.repository.latest_snapshot_id", "at most 200");
        assertRefused(check(CheckResult.newBuilder().setRepository(RepositoryObservation.newBuilder()
                .setCheckOutput("o".repeat(8001)))), "check_result.repository.check_output", "at most 8000");
        assertRefused(check(CheckResult.newBuilder().setBackupFolder(BackupFolderObservation.newBuilder()
                .setReadBack(ReadBack.newBuilder().addUnreadableFiles("fine").addUnreadableFiles("bad\u0000name")))),
                "check_result.backup_folder.read_back.unreadable_files[1]", "NUL");
    }

    @Test
    void acceptsOddButStorableTextAndFarFutureNestedDates() {
        String odd = "\u0001\t\n\r\u001b\u007f\u00a0\u200b\u202e\u2028\ufeff\uffff\ud83d\ude00 é 日本 ' \" \\ %";
        AgentEvent event = check(CheckResult.newBuilder()
                .setSummary(odd)
                .addFutureDated(FutureDatedItem.newBuilder().setName(odd).setDatedAt(ProtoTime.timestamp(Instant.parse("9999-12-31T23:59:59.999999999Z"))))
                .setUsbRotation(UsbRotationObservation.newBuilder().setAttachedLabel(odd)
                        .setAttachedSince(ProtoTime.timestamp(Instant.parse("0001-01-01T00:00:00Z")))))
                .build();
        assertThatCode(() -> EventBatchValidator.validate(List.of(event), AGENT, 500, NOW)).doesNotThrowAnyException();
    }

    @Test
    void refusesTimestampsOutsideProtobufsRangeAtAnyDepth() {
        assertRefused(check(CheckResult.newBuilder().addFutureDated(FutureDatedItem.newBuilder()
                .setDatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(253_402_300_800L)))),
                "check_result.future_dated[0].dated_at", "must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        assertRefused(check(CheckResult.newBuilder().setUsbRotation(UsbRotationObservation.newBuilder()
                .setAttachedSince(com.google.protobuf.Timestamp.newBuilder().setSeconds(-62_135_596_801L)))),
                "check_result.usb_rotation.attached_since", "must lie between");
        assertRefused(check(CheckResult.newBuilder().setUps(UpsObservation.newBuilder()
                .setSelfTestAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1).setNanos(1_000_000_000)))),
                "check_result.ups.self_test_at", "nanos 1000000000");
        assertRefused(check(CheckResult.newBuilder().setUps(UpsObservation.newBuilder()
                .setSelfTestAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1).setNanos(-1)))),
                "check_result.ups.self_test_at", "nanos -1");
    }

    @Test
    void judgesOccurredAtAgainstTheControlPlanesClockButHearsAnAgentHoursAhead() {
        assertRefused(heartbeat().toBuilder().setOccurredAt(ProtoTime.timestamp(NOW.plus(Duration.ofDays(367)))).build(),
                "occurred_at", "more than 366 days ahead of the control plane's clock (2026-11-29T06:10:00Z)");
        assertRefused(heartbeat().toBuilder().setOccurredAt(ProtoTime.timestamp(Instant.parse("1999-12-31T23:59:59Z"))).build(),
                "occurred_at", "before 2000-01-01T00:00:00Z: the agent's computer's clock is not set");
        assertRefused(heartbeat().toBuilder().setOccurredAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build(),
                "occurred_at", "must lie between");
        assertRefused(heartbeat().toBuilder().clearOccurredAt().build(), "occurred_at", "occurred_at is required");

        AgentEvent hoursAhead = heartbeat().toBuilder().setOccurredAt(ProtoTime.timestamp(NOW.plus(Duration.ofHours(5)))).build();
        AgentEvent monthsAhead = heartbeat().toBuilder().setOccurredAt(ProtoTime.timestamp(NOW.plus(Duration.ofDays(200)))).build();
        assertThatCode(() -> EventBatchValidator.validate(List.of(hoursAhead, monthsAhead), AGENT, 500, NOW)).doesNotThrowAnyException();
    }

    @Test
    void refusesDurationsOutsideProtobufsRangeAndNegativeElapsedTimes() {
        assertRefused(check(CheckResult.newBuilder().setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(315_576_000_001L))),
                "check_result.duration", "within +-315576000000 s");
        assertRefused(check(CheckResult.newBuilder().setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(-1))),
                "check_result.duration", "of the seconds' sign");
        assertRefused(check(CheckResult.newBuilder().setRestoreTest(io.rampart.protocol.agent.v1.RestoreTestObservation.newBuilder()
                .setRestoreDuration(com.google.protobuf.Duration.newBuilder().setNanos(-5)))),
                "check_result.restore_test.restore_duration", "below zero; it measures time that has passed");
        assertRefused(check(CheckResult.newBuilder().setBackupFolder(BackupFolderObservation.newBuilder().setReadBack(ReadBack.newBuilder()
                .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(-1))))), "check_result.backup_folder.read_back.duration",
                "below zero");

        // a lag measured across two clocks may be negative, and a duration at protobuf's limit is a duration
        AgentEvent negativeLag = check(CheckResult.newBuilder().setDatabaseSync(DatabaseSyncObservation.newBuilder()
                .setLag(com.google.protobuf.Duration.newBuilder().setSeconds(-3)))).build();
        AgentEvent longest = check(CheckResult.newBuilder().setDuration(com.google.protobuf.Duration.newBuilder()
                .setSeconds(315_576_000_000L).setNanos(999_999_999))).build();
        assertThatCode(() -> EventBatchValidator.validate(List.of(negativeLag, longest), AGENT, 500, NOW)).doesNotThrowAnyException();
    }

    @Test
    void takesAHeartbeatAndACheckTimedAcrossAClockSteppedBackRatherThanSettingThemAside() {
        // the agent times both on the wall clock: putting a fast clock right makes them negative once
        AgentEvent heartbeat = heartbeat().toBuilder().setHeartbeat(Heartbeat.newBuilder().setHostname("surgery-server")
                .setUptime(com.google.protobuf.Duration.newBuilder().setSeconds(-3 * 3600))).build();
        AgentEvent result = check(CheckResult.newBuilder().setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(-3 * 3600))).build();
        assertThatCode(() -> EventBatchValidator.validate(List.of(heartbeat, result), AGENT, 500, NOW)).doesNotThrowAnyException();
    }

    @Test
    void takesFractionalNegativeDurationsAsTheAgentConvertsThem() {
        // an uptime of -7199.6 s after NTP stepped the clock back, and a WAL receiver's last message 3.5 ms "ahead"
        AgentEvent heartbeat = heartbeat().toBuilder().setHeartbeat(Heartbeat.newBuilder().setHostname("surgery-server")
                .setUptime(io.rampart.protocol.ProtoTime.duration(java.time.Duration.ofMillis(-7_199_600)))).build();
        AgentEvent result = check(CheckResult.newBuilder()
                .setDuration(io.rampart.protocol.ProtoTime.duration(java.time.Duration.ofNanos(-3_500_000)))).build();
        assertThat(heartbeat.getHeartbeat().getUptime().getNanos()).isEqualTo(-600_000_000);
        assertThatCode(() -> EventBatchValidator.validate(List.of(heartbeat, result), AGENT, 500, NOW)).doesNotThrowAnyException();
        assertThat(io.rampart.protocol.ProtoTime.duration(heartbeat.getHeartbeat().getUptime())).isEqualTo(java.time.Duration.ofMillis(-7_199_600));
    }

    @Test
    void refusesNotANumberAndInfinities() {
        assertRefused(check(CheckResult.newBuilder().setUps(UpsObservation.newBuilder().setChargePercent(Double.NaN))),
                "check_result.ups.charge_percent", "is NaN, not a number");
        assertRefused(check(CheckResult.newBuilder().setRepository(RepositoryObservation.newBuilder()
                .setMinSizeRatio(Double.POSITIVE_INFINITY))), "check_result.repository.min_size_ratio", "is Infinity");
        assertRefused(check(CheckResult.newBuilder().setRepository(RepositoryObservation.newBuilder()
                .setDataReadPercent(Double.NEGATIVE_INFINITY))), "check_result.repository.data_read_percent", "-Infinity");
    }

    @Test
    void refusesAnEventLargerThanTheLimitNamingItsSize() {
        ReadBack.Builder many = ReadBack.newBuilder();
        for (int i = 0; i < 100; i++) {
            many.addUnreadableFiles("f".repeat(3000));
        }
        AgentEvent huge = check(CheckResult.newBuilder().setBackupFolder(BackupFolderObservation.newBuilder().setReadBack(many))).build();

        FieldViolation violation = refused(huge).getFieldViolations(0);
        assertThat(violation.getField()).isEqualTo("events[0]");
        assertThat(violation.getDescription()).contains("the event is " + huge.getSerializedSize()
                + " bytes serialised; the control plane accepts at most " + EventLimits.MAX_EVENT_BYTES + " bytes per event");
    }

    @Test
    void keepsTheEarlierChecksAsNamedViolations() {
        AgentEvent noId = heartbeat().toBuilder().setEventId("not-a-uuid").build();
        AgentEvent noPayload = heartbeat().toBuilder().clearHeartbeat().build();
        AgentEvent enrolled = heartbeat().toBuilder().setAgentEnrolled(io.rampart.protocol.agent.v1.AgentEnrolled.getDefaultInstance()).build();
        AgentEvent twice = heartbeat();
        AgentEvent passing = check(CheckResult.newBuilder()).build();
        AgentEvent noStatus = passing.toBuilder().setCheckResult(passing.getCheckResult().toBuilder().clearStatus()).build();

        BadRequest refusal = refused(noId, noPayload, enrolled, twice, twice, noStatus);

        assertThat(refusal.getFieldViolationsList()).extracting(FieldViolation::getField, FieldViolation::getDescription).containsExactly(
                org.assertj.core.groups.Tuple.tuple("events[0].event_id", "event 0 (not-a-uuid): event_id must be a UUID"),
                org.assertj.core.groups.Tuple.tuple("events[1].payload", "event " + noPayload.getEventId() + ": no payload (heartbeat or check_result)"),
                org.assertj.core.groups.Tuple.tuple("events[2].agent_enrolled",
                        "event " + enrolled.getEventId() + ": agent_enrolled is written by the control plane, not by agents"),
                org.assertj.core.groups.Tuple.tuple("events[4].event_id", "event " + twice.getEventId() + ": event_id appears twice in the batch"),
                org.assertj.core.groups.Tuple.tuple("events[5].check_result.status", "event " + noStatus.getEventId() + ": check_result.status is required"));
    }

    @Test
    void refusesTheWholeBatchForAnotherPracticeOrTooManyEvents() {
        AgentEvent foreign = heartbeat().toBuilder().setPracticeId(UUID.randomUUID().toString()).build();
        AgentApiException denied = catchThrowableOfType(AgentApiException.class,
                () -> EventBatchValidator.validate(List.of(heartbeat(), foreign), AGENT, 500, NOW));
        assertThat(denied.toStatus().getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        AgentApiException tooMany = catchThrowableOfType(AgentApiException.class,
                () -> EventBatchValidator.validate(List.of(heartbeat(), heartbeat()), AGENT, 1, NOW));
        assertThat(tooMany.getMessage()).isEqualTo("batch of 2 events exceeds the limit of 1; send at most 1 per call");
    }

    @Test
    void namesAsManyBadEventsAsAGrpcTrailerCarriesWhenAWholeBatchIsBad() {
        List<AgentEvent> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(usb("USB\u0000X"));
        }
        AgentApiException refusal = catchThrowableOfType(AgentApiException.class,
                () -> EventBatchValidator.validate(batch, AGENT, 500, NOW));

        BadRequest detail = badRequest(refusal.toStatus());
        assertThat(detail.getSerializedSize()).isLessThanOrEqualTo(EventBatchValidator.MAX_DETAIL_BYTES);
        assertThat(detail.getFieldViolationsCount()).isGreaterThan(5);
        assertThat(detail.getFieldViolations(0).getField()).isEqualTo("events[0].check_result.usb_rotation.attached_label");
        assertThat(refusal.getMessage()).startsWith("500 of 500 events can never be stored")
                .endsWith("set the " + detail.getFieldViolationsCount()
                        + " events named (the others are named when the rest is sent again) aside and send the rest again");
    }

    static BadRequest refused(AgentEvent... events) {
        AgentApiException refusal = catchThrowableOfType(AgentApiException.class,
                () -> EventBatchValidator.validate(List.of(events), AGENT, 500, NOW));
        assertThat(refusal).as("the batch is refused").isNotNull();
        return badRequest(refusal.toStatus());
    }

    static BadRequest badRequest(StatusRuntimeException status) {
        com.google.rpc.Status rich = StatusProto.fromThrowable(status);
        assertThat(rich).isNotNull();
        try {
            return rich.getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(AgentEvent.Builder event, String path, String words) {
        assertRefused(event.build(), path, words);
    }

    private static void assertRefused(AgentEvent event, String path, String words) {
        FieldViolation violation = refused(event).getFieldViolations(0);
        assertThat(violation.getField()).isEqualTo("events[0]." + path);
        assertThat(violation.getDescription()).startsWith("event " + event.getEventId() + ": ").contains(words);
    }

    static AgentEvent heartbeat() {
        return AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(PRACTICE)
                .setOccurredAt(ProtoTime.timestamp(NOW)).setHeartbeat(Heartbeat.newBuilder().setHostname("surgery-server")).build();
    }

    static AgentEvent.Builder check(CheckResult.Builder result) {
        if (result.getCheckId().isEmpty()) {
            result.setCheckId("usb-rotation");
        }
        if (!result.hasField(CheckResult.getDescriptor().findFieldByName("status"))) {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS);
        }
        return heartbeat().toBuilder().setCheckResult(result.setKind(CheckKind.CHECK_KIND_USB_ROTATION));
    }

    static AgentEvent usb(String label) {
        return check(CheckResult.newBuilder().setUsbRotation(UsbRotationObservation.newBuilder()
                .setAttachedMediaId("vol-1").setAttachedLabel(label))).build();
    }
}
