package io.rampart.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.BadRequest.FieldViolation;

import io.grpc.Status;
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
import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UsbRotationObservation;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary batches (strings with NULs and lone surrogates, timestamps, durations and doubles at and beyond
 * their bounds): the validator never throws anything but its refusal, every refusal names its events in words a
 * person can act on, the events it did not name are taken when sent again, and every event it accepts is stored
 * by a real PostgreSQL in the projection's column types (text, timestamptz, jsonb of the protobuf JSON) and reads
 * back unchanged.
 */
class EventValidatorPropertyTest {

    private static final Instant NOW = EventBatchValidatorTest.NOW;
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private static EmbeddedPostgres postgres;
    private static Connection connection;

    @BeforeContainer
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        connection = postgres.getPostgresDatabase().getConnection();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet encoding = statement.executeQuery("show server_encoding")) {
                encoding.next();
                assertThat(encoding.getString(1)).as("the projection's database is UTF8").isEqualTo("UTF8");
            }
            // the column types FleetProjection writes: text, timestamptz, jsonb of protobuf JSON
            statement.execute("""
                    create table accepted (event_id uuid primary key, texts text[] not null, occurred_at timestamptz not null,
                        details jsonb not null, future_dated jsonb not null)""");
        }
    }

    @AfterContainer
    static void stopPostgres() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Property(tries = 300)
    void theValidatorOnlyRefusesAndWhatItAcceptsPostgresqlStores(@ForAll("batches") List<AgentEvent> batch) throws Exception {
        List<AgentEvent> accepted = batch;
        try {
            EventBatchValidator.validate(batch, EventBatchValidatorTest.AGENT, 500, NOW);
        } catch (AgentApiException refusal) {
            Status.Code code = refusal.toStatus().getStatus().getCode();
            assertThat(code).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.PERMISSION_DENIED);
            assertThat(refusal.getMessage()).isNotBlank();
            if (code == Status.Code.PERMISSION_DENIED) {
                return;
            }
            BadRequest detail = refusal.badRequest();
            assertThat(detail.getFieldViolationsList()).isNotEmpty().allSatisfy(violation -> {
                assertThat(violation.getField()).matches("events\\[\\d+\\](\\..+)?");
                assertThat(violation.getDescription()).startsWith("event ").hasSizeLessThanOrEqualTo(400);
            });
            assertThat(detail.getSerializedSize()).isLessThanOrEqualTo(EventBatchValidator.MAX_DETAIL_BYTES);
            // as the agent does: set the named events aside and send the rest again, which is taken whole
            Set<Integer> named = new HashSet<>();
            for (FieldViolation violation : detail.getFieldViolationsList()) {
                named.add(Integer.parseInt(violation.getField().substring(7, violation.getField().indexOf(']'))));
            }
            List<AgentEvent> rest = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (!named.contains(i)) {
                    rest.add(batch.get(i));
                }
            }
            if (refusal.getMessage().contains("the others are named when the rest is sent again")) {
                return;
            }
            EventBatchValidator.validate(rest, EventBatchValidatorTest.AGENT, 500, NOW);
            accepted = rest;
        }
        Statistics.label("stored").collect(accepted.size());
        for (AgentEvent event : accepted) {
            assertStoredAndReadBack(event);
        }
    }

    private static void assertStoredAndReadBack(AgentEvent event) throws SQLException, InvalidProtocolBufferException {
        Message details = details(event);
        StringBuilder futureDated = new StringBuilder("[");
        for (FutureDatedItem item : event.getCheckResult().getFutureDatedList()) {
            futureDated.append(futureDated.length() > 1 ? "," : "").append(JSON.print(item));
        }
        futureDated.append(']');
        Instant occurredAt = Instant.ofEpochSecond(event.getOccurredAt().getSeconds(), event.getOccurredAt().getNanos());
        List<String> texts = new ArrayList<>();
        collectTexts(event, texts);
        UUID id = UUID.fromString(event.getEventId());
        try (PreparedStatement insert = connection.prepareStatement(
                        "insert into accepted values (?, ?, ?::timestamptz, ?::jsonb, ?::jsonb) on conflict (event_id) do nothing")) {
            insert.setObject(1, id);
            insert.setArray(2, connection.createArrayOf("text", texts.toArray(String[]::new)));
            insert.setString(3, occurredAt.toString());
            insert.setString(4, details == null ? "{}" : JSON.print(details));
            insert.setString(5, futureDated.toString());
            insert.executeUpdate();
            try (PreparedStatement select = connection.prepareStatement(
                    "select texts, occurred_at, details::text, future_dated::text from accepted where event_id = ?")) {
                select.setObject(1, id);
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat((String[]) row.getArray(1).getArray()).containsExactlyElementsOf(texts);
                    assertThat(row.getObject(2, java.time.OffsetDateTime.class).toInstant())
                            .isEqualTo(occurredAt.plusNanos(500).truncatedTo(ChronoUnit.MICROS));
                    if (details != null) {
                        Message.Builder read = details.newBuilderForType();
                        JsonFormat.parser().merge(row.getString(3), read);
                        assertThat(read.build()).isEqualTo(details);
                    }
                    assertThat(row.getString(4)).startsWith("[");
                }
            }
        }
    }

    private static Message details(AgentEvent event) {
        if (!event.hasCheckResult()) {
            return event.hasHeartbeat() ? event.getHeartbeat() : null;
        }
        CheckResult result = event.getCheckResult();
        FieldDescriptor field = result.getOneofFieldDescriptor(CheckResult.getDescriptor().getOneofs().get(0));
        return field == null ? result : (Message) result.getField(field);
    }

    private static void collectTexts(Message message, List<String> into) {
        message.getAllFields().forEach((field, value) -> {
            List<?> values = field.isRepeated() ? (List<?>) value : List.of(value);
            for (Object one : values) {
                if (one instanceof String text) {
                    into.add(text);
                } else if (one instanceof Message nested) {
                    collectTexts(nested, into);
                }
            }
        });
    }

    @Provide
    Arbitrary<List<AgentEvent>> batches() {
        return Arbitraries.randomValue(random -> {
            int size = 1 + random.nextInt(5);
            List<AgentEvent> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(i > 0 && random.nextInt(20) == 0 ? batch.get(0) : new Generator(random).event());
            }
            return batch;
        });
    }

    /** Values at and beyond every bound the validator knows, and ordinary ones in between. */
    private record Generator(Random random) {

        static final long TIMESTAMP_MIN = -62_135_596_800L;
        static final long TIMESTAMP_MAX = 253_402_300_799L;
        static final long DURATION_MAX = 315_576_000_000L;

        AgentEvent event() {
            AgentEvent.Builder event = AgentEvent.newBuilder()
                    .setEventId(pick(() -> UUID.randomUUID().toString(), () -> UUID.randomUUID().toString(), () -> UUID.randomUUID().toString(),
                            this::text))
                    .setPracticeId(random.nextInt(50) == 0 ? UUID.randomUUID().toString() : EventBatchValidatorTest.PRACTICE);
            if (random.nextInt(10) > 0) {
                event.setOccurredAt(random.nextBoolean() ? near(NOW) : timestamp());
            }
            switch (random.nextInt(7)) {
                case 0 -> event.setHeartbeat(Heartbeat.newBuilder().setHostname(text()).setAgentVersion(text()).setUptime(duration())
                        .setOutboxDepth(random.nextLong()).setEventsSetAside(random.nextInt(5)).setOldestSetAsideAt(timestamp()));
                case 1 -> {
                    // no payload at all
                }
                default -> event.setCheckResult(checkResult());
            }
            return event.build();
        }

        CheckResult checkResult() {
            CheckResult.Builder result = CheckResult.newBuilder()
                    .setCheckId(pick(() -> "usb-rotation", () -> "nas-copy", this::text))
                    .setKind(CheckKind.forNumber(random.nextInt(9)))
                    .setStatus(CheckStatus.forNumber(random.nextInt(5)))
                    .setSummary(text());
            if (random.nextBoolean()) {
                result.setDuration(duration());
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                result.addFutureDated(FutureDatedItem.newBuilder().setName(text()).setDatedAt(timestamp()).setSeenAt(near(NOW)));
            }
            switch (random.nextInt(5)) {
                case 0 -> result.setUsbRotation(UsbRotationObservation.newBuilder().setAttachedMediaId(text()).setAttachedLabel(text())
                        .setAttachedSince(timestamp()).addMedia(MediaSeen.newBuilder().setMediaId(text()).setLabel(text())
                                .setFirstSeenAt(timestamp()).setLastSeenAt(timestamp())));
                case 1 -> result.setRepository(RepositoryObservation.newBuilder().setTool(text()).setLatestSnapshotAt(timestamp())
                        .setLatestSnapshotId(text()).setCheckOutput(text()).setDataReadPercent(number()).setMinSizeRatio(number())
                        .setLatestSizeBytes(random.nextLong()).addLocks(RepositoryLock.newBuilder().setId(text()).setHostname(text())
                                .setCreatedAt(timestamp())));
                case 2 -> result.setUps(UpsObservation.newBuilder().setUpsName(text()).setChargePercent(number()).setRuntime(duration())
                        .setSelfTestAt(timestamp()).addConditions(UpsCondition.newBuilder().setFlag(text()).setWords(text())));
                case 3 -> result.setDatabaseSync(DatabaseSyncObservation.newBuilder().setLag(duration()).setLastMessageAge(duration())
                        .setVerifiedAt(timestamp()).setPrimaryError(text()).setArchiveTimeout(duration()));
                default -> result.setBackupFolder(BackupFolderObservation.newBuilder().setPath(text()).setNewestModifiedAt(timestamp())
                        .setReadBack(ReadBack.newBuilder().addUnreadableFiles(text()).addNotVerified(text()).setDuration(duration())));
            }
            return result.build();
        }

        String text() {
            return pick(
                    () -> "",
                    () -> "USB\u0000X",
                    () -> "lone \uD800 high",
                    () -> "\uDFFF lone low",
                    () -> "\u0001\t\n\u001b\u007f\u00a0\u200b\u202e\u2028\ufeff\uffff\uD83D\uDE00 日本 ' \" \\ \\u0000",
                    () -> "x".repeat(pick(() -> 99, () -> 100, () -> 101, () -> 200, () -> 201, () -> 4000, () -> 4001, () -> 8000, () -> 8001)),
                    () -> {
                        StringBuilder any = new StringBuilder();
                        for (int i = random.nextInt(12); i > 0; i--) {
                            any.append((char) (random.nextInt(8) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x60)));
                        }
                        return any.toString();
                    },
                    () -> "nas-copy");
        }

        Timestamp timestamp() {
            long seconds = pick(() -> TIMESTAMP_MIN - 1, () -> TIMESTAMP_MIN, () -> TIMESTAMP_MAX, () -> TIMESTAMP_MAX + 1,
                    () -> Long.MIN_VALUE, () -> Long.MAX_VALUE, () -> 0L, () -> 946_684_799L, () -> 946_684_800L,
                    () -> TIMESTAMP_MIN + (long) (random.nextDouble() * (TIMESTAMP_MAX - TIMESTAMP_MIN)));
            int nanos = pick(() -> -1, () -> 0, () -> 999_999_999, () -> 1_000_000_000, () -> Integer.MIN_VALUE,
                    () -> random.nextInt(1_000_000_000), () -> random.nextInt(1_000_000_000));
            return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
        }

        Timestamp near(Instant at) {
            long offset = pick(() -> 0L, () -> 5 * 3600L, () -> 366 * 86_400L, () -> 366 * 86_400L + 1, () -> -(long) random.nextInt(1_000_000_000),
                    () -> (long) random.nextInt(100_000_000));
            return Timestamp.newBuilder().setSeconds(at.getEpochSecond() + offset).setNanos(random.nextInt(1_000_000_000)).build();
        }

        Duration duration() {
            long seconds = pick(() -> DURATION_MAX, () -> DURATION_MAX + 1, () -> -DURATION_MAX, () -> -DURATION_MAX - 1,
                    () -> Long.MIN_VALUE, () -> Long.MAX_VALUE, () -> 0L, () -> -1L, () -> (long) random.nextInt(100_000));
            int nanos = pick(() -> 0, () -> 1, () -> -1, () -> 999_999_999, () -> -999_999_999, () -> 1_000_000_000, () -> -1_000_000_000);
            return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
        }

        double number() {
            return pick(() -> Double.NaN, () -> Double.POSITIVE_INFINITY, () -> Double.NEGATIVE_INFINITY, () -> Double.MAX_VALUE,
                    () -> Double.MIN_VALUE, () -> -Double.MAX_VALUE, () -> 0.5, () -> 100.0, () -> random.nextDouble() * 1e6 - 5e5);
        }

        @SafeVarargs
        private <T> T pick(Supplier<T>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }
    }
}
