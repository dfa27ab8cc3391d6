package io.rampart.controlplane.fleet;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.FutureDatedItem;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * Folds agent events into the fleet tables. Idempotent by event id: the event_history insert is
 * the guard, and an event already there changes nothing, so the topic can be replayed at will.
 * Must run inside the caller's transaction.
 * <p>
 * A whole poll is applied with three set-based statements (history, presence, check states)
 * instead of three per event. The result is the same as applying the events one by one in
 * order: the per-agent and per-check folding that the one-by-one upserts did in the database
 * is done here in Java first, and the database still arbitrates against what is stored.
 */
@ApplicationScoped
public class FleetProjection {

    private static final OneofDescriptor DETAILS = CheckResult.getDescriptor().getOneofs().stream()
            .filter(oneof -> oneof.getName().equals("details")).findFirst().orElseThrow();
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    // The inserts below sort their rows by key so that two replicas briefly applying the same
    // partition (during a rebalance) take row locks in the same order and cannot deadlock.
    private static final String INSERT_HISTORY = """
            insert into event_history (event_id, provider_id, group_id, practice_id, agent_id, type, check_id, status,
                summary, occurred_at, received_at, kafka_partition, kafka_offset)
            select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[],
                ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::bigint[]) as e(event_id)
            order by event_id
            on conflict (event_id) do nothing
            returning event_id""";
    private static final String UPSERT_PRESENCE = """
            insert into agent_presence (agent_id, provider_id, group_id, practice_id, hostname, agent_version, last_seen_at,
                clock_offset_ms, events_set_aside, oldest_set_aside_at)
            select p.agent_id, p.provider_id, coalesce(practice.group_id, p.group_id), p.practice_id, p.hostname, p.agent_version,
                p.last_seen_at, p.clock_offset_ms, p.events_set_aside, p.oldest_set_aside_at
            from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[],
                ?::bigint[], ?::timestamptz[])
                as p(agent_id, provider_id, group_id, practice_id, hostname, agent_version, last_seen_at, clock_offset_ms,
                    events_set_aside, oldest_set_aside_at)
            -- a row is the practice's current group's, even from an event sent before the practice moved
            left join practice on practice.id = p.practice_id
            order by p.agent_id
            on conflict (agent_id) do update set
                last_seen_at = greatest(agent_presence.last_seen_at, excluded.last_seen_at),
                clock_offset_ms = case when excluded.last_seen_at >= agent_presence.last_seen_at
                    then coalesce(excluded.clock_offset_ms, agent_presence.clock_offset_ms) else agent_presence.clock_offset_ms end,
                -- from the latest heartbeat: a batch without one leaves both as they were
                events_set_aside = case when excluded.last_seen_at >= agent_presence.last_seen_at
                    and excluded.events_set_aside is not null
                    then excluded.events_set_aside else agent_presence.events_set_aside end,
                oldest_set_aside_at = case when excluded.last_seen_at >= agent_presence.last_seen_at
                    and excluded.events_set_aside is not null
                    then excluded.oldest_set_aside_at else agent_presence.oldest_set_aside_at end,
                hostname = coalesce(excluded.hostname, agent_presence.hostname),
                agent_version = coalesce(excluded.agent_version, agent_presence.agent_version)""";
    // An older result delivered late (from an agent's outbox) never overwrites a newer one. "Older" is
    // by the agent's clock, but never later than the control plane received it: an agent whose clock ran
    // a year ahead and was then put right must not freeze its checks at their last wrong-clock result.
    private static final String UPSERT_CHECK_STATE = """
            insert into check_state (provider_id, group_id, practice_id, check_id, kind, status, summary, details,
                future_dated, observed_at, event_id)
            select c.provider_id, coalesce(practice.group_id, c.group_id), c.practice_id, c.check_id, c.kind, c.status, c.summary,
                cast(c.details as jsonb), cast(c.future_dated as jsonb), c.observed_at, c.event_id
            from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::text[], ?::timestamptz[], ?::uuid[])
                as c(provider_id, group_id, practice_id, check_id, kind, status, summary, details, future_dated,
                    observed_at, event_id)
            -- a row is the practice's current group's, even from an event sent before the practice moved
            left join practice on practice.id = c.practice_id
            order by c.practice_id, c.check_id
            on conflict (practice_id, check_id) do update set
                kind = excluded.kind, status = excluded.status, summary = excluded.summary,
                details = excluded.details, future_dated = excluded.future_dated, observed_at = excluded.observed_at,
                event_id = excluded.event_id
            where check_state.observed_at <= excluded.observed_at""";

    @Inject
    EntityManager entityManager;
    @Inject
    jakarta.enterprise.event.Event<NewEvidence> newEvidence;

    /** One record of the agent-events topic: the event and where it sits in the log. */
    public record Delivered(RecordedEvent recorded, int partition, long offset) {
    }

    /** Of a batch's events, how many were new and applied, and how many had been applied before. */
    public record Outcome(int applied, int duplicates) {
    }

    /** @return false when the event was already applied */
    public boolean apply(RecordedEvent recorded, int partition, long offset) {
        return applyAll(List.of(new Delivered(recorded, partition, offset))).applied() == 1;
    }

    /**
     * Applies the batch as if event by event in its order: an event id seen before (in the
     * database or earlier in the batch) changes nothing and counts as a duplicate.
     */
    public Outcome applyAll(List<Delivered> batch) {
        List<Event> candidates = firstOfEachEventId(batch);
        if (candidates.isEmpty()) {
            return new Outcome(0, batch.size());
        }
        List<Event> fresh = entityManager.unwrap(Session.class).doReturningWork(connection -> {
            Set<UUID> inserted = insertHistory(connection, candidates);
            List<Event> stored = candidates.stream().filter(event -> inserted.contains(event.eventId())).toList();
            // a ping (/ping/<id>) is a job speaking, not an agent: it says nothing about an agent's presence
            upsertPresence(connection, stored.stream().filter(event -> !event.sentByPing()).toList());
            upsertCheckStates(connection, stored);
            return stored;
        });
        if (!fresh.isEmpty()) {
            // compliance owns practice_compliance: it marks the practices due (compliance/DueOnNewEvidence), in this
            // transaction; in practice order, like the other writes, so that two replicas lock rows in the same order
            newEvidence.fire(new NewEvidence(List.copyOf(new TreeSet<>(fresh.stream().map(Event::practiceId).toList()))));
        }
        return new Outcome(fresh.size(), batch.size() - fresh.size());
    }

    /** The batch in order, each event id once: a later copy of an id is a duplicate like any replay. */
    private static List<Event> firstOfEachEventId(List<Delivered> batch) {
        Map<UUID, Event> byId = new LinkedHashMap<>();
        for (Delivered delivered : batch) {
            Event event = Event.of(delivered);
            byId.putIfAbsent(event.eventId(), event);
        }
        return new ArrayList<>(byId.values());
    }

    /** @return the ids that were not in event_history yet: only those events go any further */
    private static Set<UUID> insertHistory(Connection connection, List<Event> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
            int column = 1;
            insert.setArray(column++, uuids(connection, events, Event::eventId));
            insert.setArray(column++, uuids(connection, events, Event::providerId));
            insert.setArray(column++, uuids(connection, events, Event::groupId));
            insert.setArray(column++, uuids(connection, events, Event::practiceId));
            insert.setArray(column++, uuids(connection, events, Event::agentId));
            insert.setArray(column++, texts(connection, events, Event::type));
            insert.setArray(column++, texts(connection, events, event -> event.check() == null ? null : event.check().getCheckId()));
            insert.setArray(column++, texts(connection, events,
                    event -> event.check() == null ? null : CheckStatuses.name(event.check().getStatus())));
            insert.setArray(column++, texts(connection, events, Event::summary));
            insert.setArray(column++, timestamps(connection, events, Event::occurredAt));
            insert.setArray(column++, timestamps(connection, events, Event::receivedAt));
            insert.setArray(column++, connection.createArrayOf("int4", events.stream().map(Event::partition).toArray(Integer[]::new)));
            insert.setArray(column, connection.createArrayOf("int8", events.stream().map(Event::offset).toArray(Long[]::new)));
            Set<UUID> inserted = new HashSet<>();
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
            return inserted;
        }
    }

    /**
     * One row per agent, folded as the one-by-one upserts would have: the latest time seen, and
     * the last non-blank hostname and version in the batch's order (each kept separately, so an
     * event carrying only one of them leaves the other as it was).
     */
    private static void upsertPresence(Connection connection, List<Event> events) throws SQLException {
        Map<UUID, Presence> byAgent = new LinkedHashMap<>();
        for (Event event : events) {
            byAgent.merge(event.agentId(), Presence.of(event), Presence::foldLater);
        }
        if (byAgent.isEmpty()) {
            return;
        }
        List<Presence> rows = new ArrayList<>(byAgent.values());
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_PRESENCE)) {
            upsert.setArray(1, uuids(connection, rows, row -> row.first().agentId()));
            upsert.setArray(2, uuids(connection, rows, row -> row.first().providerId()));
            upsert.setArray(3, uuids(connection, rows, row -> row.first().groupId()));
            upsert.setArray(4, uuids(connection, rows, row -> row.first().practiceId()));
            upsert.setArray(5, texts(connection, rows, Presence::hostname));
            upsert.setArray(6, texts(connection, rows, Presence::version));
            upsert.setArray(7, timestamps(connection, rows, Presence::lastSeenAt));
            upsert.setArray(8, connection.createArrayOf("int8", rows.stream().map(Presence::clockOffsetMs).toArray(Long[]::new)));
            upsert.setArray(9, connection.createArrayOf("int8",
                    rows.stream().map(row -> row.setAside() == null ? null : row.setAside().events()).toArray(Long[]::new)));
            upsert.setArray(10, timestamps(connection, rows, row -> row.setAside() == null ? null : row.setAside().oldestAt()));
            upsert.executeUpdate();
        }
    }

    /**
     * One row per (practice, check): the newest observation of the batch (by {@link Event#observedAt()}),
     * the later one on a tie (as the one-by-one upsert's {@code <=} would leave it). The database then
     * keeps whichever of it and the stored state is newer.
     */
    private static void upsertCheckStates(Connection connection, List<Event> events) throws SQLException {
        Map<List<Object>, Event> newest = new LinkedHashMap<>();
        for (Event event : events) {
            if (event.check() != null) {
                newest.merge(List.of(event.practiceId(), event.check().getCheckId()), event,
                        (kept, later) -> later.observedAt().isBefore(kept.observedAt()) ? kept : later);
            }
        }
        if (newest.isEmpty()) {
            return;
        }
        List<Event> rows = new ArrayList<>(newest.values());
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_CHECK_STATE)) {
            upsert.setArray(1, uuids(connection, rows, Event::providerId));
            upsert.setArray(2, uuids(connection, rows, Event::groupId));
            upsert.setArray(3, uuids(connection, rows, Event::practiceId));
            upsert.setArray(4, texts(connection, rows, event -> event.check().getCheckId()));
            upsert.setArray(5, texts(connection, rows, event -> CheckStatuses.kind(event.check().getKind())));
            upsert.setArray(6, texts(connection, rows, event -> CheckStatuses.name(event.check().getStatus())));
            upsert.setArray(7, texts(connection, rows, event -> event.check().getSummary()));
            upsert.setArray(8, texts(connection, rows, event -> details(event.check())));
            upsert.setArray(9, texts(connection, rows, event -> futureDated(event.check())));
            upsert.setArray(10, timestamps(connection, rows, Event::observedAt));
            upsert.setArray(11, uuids(connection, rows, Event::eventId));
            upsert.executeUpdate();
        }
    }

    /** An event with the fields the tables need, parsed once. */
    private record Event(UUID eventId, UUID providerId, UUID groupId, UUID practiceId, UUID agentId, String type,
            String summary, Instant occurredAt, Instant receivedAt, int partition, long offset, CheckResult check,
            String hostname, String version, Long clockOffsetMs, SetAside setAside, boolean sentByPing) {

        /** When it was observed: the agent's time, but never later than the control plane received it. */
        Instant observedAt() {
            return occurredAt.isAfter(receivedAt) ? receivedAt : occurredAt;
        }

        static Event of(Delivered delivered) {
            RecordedEvent recorded = delivered.recorded();
            AgentEvent event = recorded.getEvent();
            String hostname = event.hasHeartbeat() ? event.getHeartbeat().getHostname()
                    : event.hasAgentEnrolled() ? event.getAgentEnrolled().getHostname() : null;
            String version = event.hasHeartbeat() ? event.getHeartbeat().getAgentVersion()
                    : event.hasAgentEnrolled() ? event.getAgentEnrolled().getAgentVersion() : null;
            return new Event(UUID.fromString(event.getEventId()), UUID.fromString(recorded.getProviderId()),
                    UUID.fromString(recorded.getGroupId()), UUID.fromString(recorded.getPracticeId()),
                    UUID.fromString(recorded.getAgentId()), FleetProjection.type(event), FleetProjection.summary(event),
                    asStored(ProtoTime.instant(event.getOccurredAt())), asStored(ProtoTime.instant(recorded.getReceivedAt())),
                    delivered.partition(), delivered.offset(), event.hasCheckResult() ? event.getCheckResult() : null,
                    blankToNull(hostname), blankToNull(version),
                    recorded.hasAgentClockOffset() ? ProtoTime.duration(recorded.getAgentClockOffset()).toMillis() : null,
                    SetAside.of(event), recorded.getSentByPing());
        }
    }

    /**
     * A heartbeat's events set aside (events_set_aside, oldest_set_aside_at): 0 and none in heartbeats of agents
     * before those fields. Null for other events, which do not say.
     */
    private record SetAside(long events, Instant oldestAt) {

        static SetAside of(AgentEvent event) {
            if (!event.hasHeartbeat()) {
                return null;
            }
            var heartbeat = event.getHeartbeat();
            long events = Math.max(0, heartbeat.getEventsSetAside());
            return new SetAside(events, events > 0 && heartbeat.hasOldestSetAsideAt()
                    ? asStored(ProtoTime.instant(heartbeat.getOldestSetAsideAt())) : null);
        }
    }

    /** An agent's presence folded over the batch; the first event gives the tenancy of a new row. */
    private record Presence(Event first, Instant lastSeenAt, String hostname, String version, Long clockOffsetMs,
            SetAside setAside) {

        static Presence of(Event event) {
            return new Presence(event, event.receivedAt(), event.hostname(), event.version(), event.clockOffsetMs(), event.setAside());
        }

        Presence foldLater(Presence later) {
            boolean laterIsNewer = !lastSeenAt.isAfter(later.lastSeenAt());
            return new Presence(first, laterIsNewer ? later.lastSeenAt() : lastSeenAt,
                    later.hostname() != null ? later.hostname() : hostname,
                    later.version() != null ? later.version() : version,
                    laterIsNewer && later.clockOffsetMs() != null ? later.clockOffsetMs() : clockOffsetMs,
                    laterIsNewer && later.setAside() != null ? later.setAside() : setAside);
        }
    }

    /**
     * The instant as PostgreSQL keeps it: microseconds, rounded half up like the JDBC driver
     * does, so comparing in Java ranks observations exactly as comparing the stored values would.
     */
    private static Instant asStored(Instant instant) {
        return instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> Array uuids(Connection connection, List<T> rows, Function<T, UUID> column) throws SQLException {
        return connection.createArrayOf("uuid", rows.stream().map(column).toArray(UUID[]::new));
    }

    private static <T> Array texts(Connection connection, List<T> rows, Function<T, String> column) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(column).toArray(String[]::new));
    }

    /** As ISO-8601 text (cast to timestamptz in SQL): exact, and free of the JVM's time zone. */
    private static <T> Array timestamps(Connection connection, List<T> rows, Function<T, Instant> column) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(column).map(at -> at == null ? null : at.toString()).toArray(String[]::new));
    }

    private static String type(AgentEvent event) {
        return switch (event.getPayloadCase()) {
            case HEARTBEAT -> "HEARTBEAT";
            case CHECK_RESULT -> "CHECK_RESULT";
            case AGENT_ENROLLED -> "AGENT_ENROLLED";
            case PAYLOAD_NOT_SET -> "UNKNOWN";
        };
    }

    private static String summary(AgentEvent event) {
        return switch (event.getPayloadCase()) {
            case HEARTBEAT -> "Heartbeat from " + event.getHeartbeat().getHostname()
                    + (event.getHeartbeat().getOutboxDepth() > 0 ? " (" + event.getHeartbeat().getOutboxDepth() + " events waiting)" : "");
            case CHECK_RESULT -> event.getCheckResult().getCheckId() + ": " + event.getCheckResult().getSummary();
            case AGENT_ENROLLED -> "Agent enrolled from " + event.getAgentEnrolled().getHostname()
                    + " (" + event.getAgentEnrolled().getOperatingSystem() + ")";
            case PAYLOAD_NOT_SET -> "Event of a kind this control plane does not know";
        };
    }

    /** The result's details (whichever observation its kind carries) as protobuf JSON, camelCase. */
    private static String details(CheckResult check) {
        FieldDescriptor field = check.getOneofFieldDescriptor(DETAILS);
        if (field == null) {
            return "{}";
        }
        try {
            return JSON.print((Message) check.getField(field));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("A parsed message always prints", e);
        }
    }

    /** The result's backups dated in the future, as a protobuf-JSON array ("[]" when none). */
    private static String futureDated(CheckResult check) {
        StringBuilder json = new StringBuilder("[");
        for (FutureDatedItem item : check.getFutureDatedList()) {
            try {
                json.append(json.length() > 1 ? "," : "").append(JSON.print(item));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("A parsed message always prints", e);
            }
        }
        return json.append(']').toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
