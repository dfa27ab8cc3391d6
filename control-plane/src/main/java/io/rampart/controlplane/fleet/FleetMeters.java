package io.rampart.controlplane.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.RampartConfig;
import io.rampart.protocol.agent.v1.RecordedEvent;

/**
 * The fleet as an operator watches it, per provider (tag {@code provider}: the provider's id; bounded by the number of
 * providers, never one series per agent), refreshed every 15 s ({@link #refresh}) so a scrape never waits on the
 * database:
 * <ul>
 * <li>{@code rampart.agents.enrolled}: agents enrolled and not revoked.</li>
 * <li>{@code rampart.agents.connected}: of those, agents whose last call (agent_presence.last_seen_at, any event) is
 * within {@code rampart.agents.silence-threshold}. This is what an operator means by "connected": the agent is
 * reporting, as the fleet view and the agent-heartbeat rule judge it. An open WatchConfiguration stream is not: it is
 * held by one replica (that count is {@code rampart.agents.configuration.watching}, per replica), a proxy may cut it,
 * and an agent whose stream is open may still be unable to send its events.</li>
 * <li>{@code rampart.agents.set.aside} / {@code .largest} (unit events): events agents hold aside because the control
 * plane refused them, summed over the provider's agents and the largest one agent holds, from each agent's latest
 * heartbeat (agent_presence.events_set_aside).</li>
 * <li>{@code rampart.agents.outbox.backlog} / {@code .largest} (unit events): events waiting in agents' outboxes
 * (Heartbeat.outbox_depth), summed and the largest, over agents heard within the silence threshold. The depth is not
 * stored in the database: it is kept in memory from the heartbeats the fleet projection consumer of THIS replica
 * applied, so each replica reports the agents of its partitions (sum over replicas for the fleet; after a rebalance an
 * agent may be counted by two replicas until its old entry passes the silence threshold).</li>
 * </ul>
 * The database-fed gauges are the same on every replica: aggregate them with max, not sum.
 */
@ApplicationScoped
@Startup // its series exist from the start, at 0, before anything happens
public class FleetMeters {

    private static final Logger LOG = Logger.getLogger(FleetMeters.class);

    @Inject
    EntityManager entityManager;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    /** Latest outbox depth per agent, from the heartbeats this replica's fleet projection applied. */
    private final Map<UUID, Backlog> backlogs = new ConcurrentHashMap<>();
    private final MultiGauge enrolled;
    private final MultiGauge connected;
    private final MultiGauge setAside;
    private final MultiGauge largestSetAside;
    private final MultiGauge backlog;
    private final MultiGauge largestBacklog;

    @Inject
    public FleetMeters(MeterRegistry registry) {
        enrolled = MultiGauge.builder("rampart.agents.enrolled").description("Agents enrolled and not revoked, per provider")
                .register(registry);
        connected = MultiGauge.builder("rampart.agents.connected")
                .description("Agents that called in within rampart.agents.silence-threshold, per provider").register(registry);
        setAside = MultiGauge.builder("rampart.agents.set.aside").baseUnit("events")
                .description("Events agents hold aside because the control plane refused them, summed per provider").register(registry);
        largestSetAside = MultiGauge.builder("rampart.agents.set.aside.largest").baseUnit("events")
                .description("The most events one agent of the provider holds aside").register(registry);
        backlog = MultiGauge.builder("rampart.agents.outbox.backlog").baseUnit("events")
                .description("Events waiting in the outboxes of the provider's agents heard by this replica, summed").register(registry);
        largestBacklog = MultiGauge.builder("rampart.agents.outbox.backlog.largest").baseUnit("events")
                .description("The most events waiting in one outbox of the provider's agents heard by this replica").register(registry);
    }

    /** Keeps the outbox depth of each heartbeat of a batch the fleet projection committed. */
    void heard(List<FleetProjection.Delivered> batch) {
        for (FleetProjection.Delivered delivered : batch) {
            RecordedEvent recorded = delivered.recorded();
            if (!recorded.getEvent().hasHeartbeat() || recorded.getSentByPing()) {
                continue;
            }
            try {
                UUID agent = UUID.fromString(recorded.getAgentId());
                Backlog heard = new Backlog(UUID.fromString(recorded.getProviderId()),
                        Math.max(0, recorded.getEvent().getHeartbeat().getOutboxDepth()),
                        io.rampart.protocol.ProtoTime.instant(recorded.getReceivedAt()));
                backlogs.merge(agent, heard, (before, now) -> now.heardAt().isBefore(before.heardAt()) ? before : now);
            } catch (IllegalArgumentException notAnId) {
                // the projection validated these; a record it could not read says nothing about backlogs
            }
        }
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // a last value kept would say "all connected" while nobody can know; an absent series says "unknown", and
            // readiness (the database check, RampartNotReady) says why
            enrolled.register(List.of(), true);
            connected.register(List.of(), true);
            setAside.register(List.of(), true);
            largestSetAside.register(List.of(), true);
            LOG.debugf(e, "Could not refresh the fleet gauges");
        }
    }

    /** Reads the fleet from the database and this replica's heartbeats, and sets every gauge. */
    public void refresh() {
        Instant now = clock.instant();
        Instant since = now.minus(config.agents().silenceThreshold());
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> fleetRows(since));
        List<MultiGauge.Row<?>> enrolledRows = new ArrayList<>();
        List<MultiGauge.Row<?>> connectedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> setAsideRows = new ArrayList<>();
        List<MultiGauge.Row<?>> largestSetAsideRows = new ArrayList<>();
        for (Object[] row : rows) {
            Tags provider = Tags.of("provider", row[0].toString());
            enrolledRows.add(MultiGauge.Row.of(provider, ((Number) row[1]).doubleValue()));
            connectedRows.add(MultiGauge.Row.of(provider, ((Number) row[2]).doubleValue()));
            setAsideRows.add(MultiGauge.Row.of(provider, ((Number) row[3]).doubleValue()));
            largestSetAsideRows.add(MultiGauge.Row.of(provider, ((Number) row[4]).doubleValue()));
        }
        enrolled.register(enrolledRows, true);
        connected.register(connectedRows, true);
        setAside.register(setAsideRows, true);
        largestSetAside.register(largestSetAsideRows, true);

        backlogs.values().removeIf(heard -> heard.heardAt().isBefore(since));
        Map<UUID, long[]> perProvider = new HashMap<>();
        backlogs.values().forEach(heard -> {
            long[] sumAndMax = perProvider.computeIfAbsent(heard.providerId(), id -> new long[2]);
            sumAndMax[0] += heard.events();
            sumAndMax[1] = Math.max(sumAndMax[1], heard.events());
        });
        List<MultiGauge.Row<?>> backlogRows = new ArrayList<>();
        List<MultiGauge.Row<?>> largestBacklogRows = new ArrayList<>();
        perProvider.forEach((providerId, sumAndMax) -> {
            backlogRows.add(MultiGauge.Row.of(Tags.of("provider", providerId.toString()), sumAndMax[0]));
            largestBacklogRows.add(MultiGauge.Row.of(Tags.of("provider", providerId.toString()), sumAndMax[1]));
        });
        backlog.register(backlogRows, true);
        largestBacklog.register(largestBacklogRows, true);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> fleetRows(Instant since) {
        return entityManager.createNativeQuery("""
                select a.provider_id, count(*),
                    count(*) filter (where p.last_seen_at >= ?1),
                    coalesce(sum(p.events_set_aside), 0),
                    coalesce(max(p.events_set_aside), 0)
                from agent a left join agent_presence p on p.agent_id = a.id
                where a.revoked_at is null
                group by a.provider_id""").setParameter(1, since).getResultList();
    }

    /** One agent's latest outbox depth (events) and when the control plane received the heartbeat that said so. */
    private record Backlog(UUID providerId, long events, Instant heardAt) {
    }
}
