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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

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
                Statistics.label("outcome").collect("refused whole: another practice");
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
                Statistics.label("outcome").collect("refused, more named later");
                return;
            }
            EventBatchValidator.validate(rest, EventBatchValidatorTest.AGENT, 500, NOW);
            accepted = rest;
            Statistics.label("outcome").collect(rest.isEmpty() ? "refused, nothing left" : "refused, the rest taken and stored");
        }
        if (accepted == batch) {
            Statistics.label("outcome").collect("taken whole and stored");
        }
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

    /**
     * Values at and beyond every bound the validator knows. Each value is one a store can take (ordinary, or at its
     * bound) 24 times in 25, and one past a bound (a NUL, a lone surrogate, a date past 9999, NaN) once in 25, so
     * that about half the batches hold an event to refuse and most hold events to store.
     */
    private record Generator(Random random) {

        static final long TIMESTAMP_MIN = -62_135_596_800L;
        static final long TIMESTAMP_MAX = 253_402_300_799L;
        static final long DURATION_MAX = 315_576_000_000L;

        boolean bad() {
            return random.nextInt(25) == 0;
        }

        AgentEvent event() {
            AgentEvent.Builder event = AgentEvent.newBuilder()
                    .setEventId(bad() ? text() : UUID.randomUUID().toString())
                    .setPracticeId(random.nextInt(200) == 0 ? UUID.randomUUID().toString() : EventBatchValidatorTest.PRACTICE);
            if (!bad()) {
                event.setOccurredAt(random.nextInt(4) == 0 ? timestamp() : near(NOW));
            }
            int payload = random.nextInt(30);
            if (payload < 8) {
                event.setHeartbeat(Heartbeat.newBuilder().setHostname(text()).setAgentVersion(text()).setUptime(elapsed())
                        .setOutboxDepth(random.nextLong()).setEventsSetAside(random.nextInt(5)).setOldestSetAsideAt(timestamp()));
            } else if (payload > 8) {
                event.setCheckResult(checkResult());
            } // else no payload at all
            return event.build();
        }

        CheckResult checkResult() {
            CheckResult.Builder result = CheckResult.newBuilder()
                    .setCheckId(bad() ? text() : pick(() -> "usb-rotation", () -> "nas-copy", () -> "c".repeat(100), () -> "db-sync-clinical"))
                    .setKind(CheckKind.forNumber(random.nextInt(9)))
                    .setStatus(CheckStatus.forNumber(bad() ? 0 : 1 + random.nextInt(4)))
                    .setSummary(bad() ? "s".repeat(4001) : random.nextBoolean() ? "ok" : odd());
            if (random.nextBoolean()) {
                result.setDuration(elapsed());
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
                case 2 -> result.setUps(UpsObservation.newBuilder().setUpsName(text()).setChargePercent(number()).setRuntime(elapsed())
                        .setSelfTestAt(timestamp()).addConditions(UpsCondition.newBuilder().setFlag(text()).setWords(text())));
                case 3 -> result.setDatabaseSync(DatabaseSyncObservation.newBuilder().setLag(signed()).setLastMessageAge(elapsed())
                        .setVerifiedAt(timestamp()).setPrimaryError(text()).setArchiveTimeout(elapsed()));
                default -> result.setBackupFolder(BackupFolderObservation.newBuilder().setPath(text()).setNewestModifiedAt(timestamp())
                        .setReadBack(ReadBack.newBuilder().addUnreadableFiles(text()).addNotVerified(text()).setDuration(elapsed())));
            }
            return result.build();
        }

        /** Every odd character PostgreSQL text and jsonb take, and the six characters of a JSON NUL escape as text. */
        static String odd() {
            return "\u0001\t\n\u001b\u007f\u00a0\u200b\u202e\u2028\ufeff\uffff\uD83D\uDE00 日本 ' \" \\ \\u0000";
        }

        String text() {
            if (bad()) {
                return pick(() -> "USB\u0000X", () -> "lone \uD800 high", () -> "\uDFFF lone low", () -> "x".repeat(8001),
                        () -> "\u0000");
            }
            if (random.nextInt(20) == 0) {
                return "x".repeat(pick(() -> 200, () -> 8000));
            }
            return pick(() -> "", () -> "surgery-server", Generator::odd,
                    () -> {
                        StringBuilder any = new StringBuilder();
                        for (int i = random.nextInt(12); i > 0; i--) {
                            int c = random.nextInt(8) == 0 ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x60);
                            // characters only here; NULs and lone surrogates are the bad values above
                            any.appendCodePoint(c == 0 || Character.isSurrogate((char) c) ? 0x1F600 : c);
                        }
                        return any.toString();
                    });
        }

        Timestamp timestamp() {
            if (bad()) {
                return pick(() -> ts(TIMESTAMP_MIN - 1, 0), () -> ts(TIMESTAMP_MAX + 1, 0), () -> ts(Long.MIN_VALUE, 0),
                        () -> ts(Long.MAX_VALUE, 0), () -> ts(0, -1), () -> ts(0, 1_000_000_000), () -> ts(0, Integer.MIN_VALUE));
            }
            return pick(() -> ts(TIMESTAMP_MIN, 0), () -> ts(TIMESTAMP_MAX, 999_999_999), () -> ts(0, 0), () -> ts(946_684_799L, 0),
                    () -> ts(TIMESTAMP_MIN + (long) (random.nextDouble() * (TIMESTAMP_MAX - TIMESTAMP_MIN)), random.nextInt(1_000_000_000)),
                    () -> near(NOW));
        }

        Timestamp near(Instant at) {
            long offset = bad() ? pick(() -> 366 * 86_400L + 1, () -> -at.getEpochSecond() + 946_684_799L)
                    : pick(() -> 0L, () -> 5 * 3600L, () -> 366 * 86_400L, () -> -(long) random.nextInt(800_000_000),
                            () -> (long) random.nextInt(30_000_000));
            return ts(at.getEpochSecond() + offset, random.nextInt(1_000_000_000));
        }

        /** A duration that measures time passed: never below zero. */
        Duration elapsed() {
            if (bad()) {
                return pick(() -> dur(-1, 0), () -> dur(0, -1), () -> dur(DURATION_MAX + 1, 0), () -> dur(Long.MAX_VALUE, 0),
                        () -> dur(1, -1), () -> dur(0, 1_000_000_000));
            }
            return pick(() -> dur(0, 0), () -> dur(DURATION_MAX, 999_999_999), () -> dur(random.nextInt(100_000), random.nextInt(1_000_000_000)));
        }

        /** A duration that may be below zero (a lag across two clocks). */
        Duration signed() {
            if (bad()) {
                return pick(() -> dur(-DURATION_MAX - 1, 0), () -> dur(Long.MIN_VALUE, 0), () -> dur(-1, 1), () -> dur(0, -1_000_000_000));
            }
            return pick(() -> dur(-DURATION_MAX, -999_999_999), () -> dur(-3, -5), () -> elapsed());
        }

        double number() {
            if (bad()) {
                return pick(() -> Double.NaN, () -> Double.POSITIVE_INFINITY, () -> Double.NEGATIVE_INFINITY);
            }
            return pick(() -> Double.MAX_VALUE, () -> Double.MIN_VALUE, () -> -Double.MAX_VALUE, () -> 0.5, () -> 100.0,
                    () -> random.nextDouble() * 1e6 - 5e5);
        }

        static Timestamp ts(long seconds, int nanos) {
            return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
        }

        static Duration dur(long seconds, int nanos) {
            return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
        }

        @SafeVarargs
        private <T> T pick(Supplier<T>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }
    }
}
