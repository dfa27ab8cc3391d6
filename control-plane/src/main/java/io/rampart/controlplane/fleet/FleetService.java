package io.rampart.controlplane.fleet;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.agents.Agent;
import io.rampart.controlplane.agents.AgentRepository;
import io.rampart.controlplane.fleet.FleetViews.AgentView;
import io.rampart.controlplane.fleet.FleetViews.CheckView;
import io.rampart.controlplane.fleet.FleetViews.EventView;
import io.rampart.controlplane.fleet.FleetViews.PracticeDetail;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeRepository;

/** Reads the fleet projections for one practice's page: its agents, the latest result of each check, its recent events. */
@ApplicationScoped
public class FleetService {

    private static final int RECENT_EVENTS = 50;

    @Inject
    PracticeRepository practices;
    @Inject
    AgentRepository agents;
    @Inject
    ObjectMapper json;

    /** Empty when the practice does not exist or lies outside the scope: the caller cannot tell which. */
    @Transactional
    public Optional<PracticeDetail> practice(TenantScope scope, UUID practiceId) {
        Optional<Practice> found = practices.findIn(scope, practiceId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Practice practice = found.get();
        PracticeGroup group = PracticeGroup.findById(practice.groupId);
        Map<UUID, AgentPresence> presence = AgentPresence.<AgentPresence> list("practiceId", practiceId).stream()
                .collect(Collectors.toMap(p -> p.agentId, Function.identity()));
        List<CheckState> checks = CheckState.list("practiceId = ?1 order by checkId", practiceId);
        Optional<Instant> lastSeen = presence.values().stream().map(p -> p.lastSeenAt).max(Comparator.naturalOrder());

        List<AgentView> agentViews = agents.listByPractice(practiceId).stream()
                .map(agent -> agentView(agent, presence.get(agent.id))).toList();
        List<CheckView> checkViews = checks.stream().map(c -> new CheckView(c.checkId, c.kind,
                statusOf(c.status), c.summary, c.observedAt, details(c.details))).toList();
        List<EventView> events = EventHistory.<EventHistory> find("practiceId = ?1 order by occurredAt desc, receivedAt desc", practiceId)
                .page(0, RECENT_EVENTS).list().stream()
                .map(e -> new EventView(e.eventId, e.type, e.checkId,
                        e.status == null ? null : statusOf(e.status),
                        e.summary, e.occurredAt, e.receivedAt))
                .toList();
        return Optional.of(new PracticeDetail(practice.id, practice.name, practice.groupId, group.name, practice.providerId,
                lastSeen.orElse(null), agentViews, checkViews, events,
                practice.decommissionedAt, practice.decommissionedBy, practice.decommissionReason));
    }

    /** A check's stored outcome as a status; UNKNOWN before the check has one. */
    private static PracticeStatus statusOf(CheckOutcome outcome) {
        return outcome == null ? PracticeStatus.UNKNOWN : outcome.asPracticeStatus();
    }

    private static AgentView agentView(Agent agent, AgentPresence presence) {
        return new AgentView(agent.id, presence != null && presence.hostname != null ? presence.hostname : agent.hostname,
                presence != null && presence.agentVersion != null ? presence.agentVersion : agent.agentVersion,
                agent.operatingSystem, agent.enrolledAt, presence == null ? null : presence.lastSeenAt, agent.revoked(),
                agent.certificateExpiresAt, presence == null || presence.clockOffsetMs == null ? null : presence.clockOffsetMs / 1000,
                presence == null ? 0 : presence.setAside(), presence == null ? null : presence.oldestSetAsideAt);
    }

    private Map<String, Object> details(String stored) {
        try {
            return stored == null ? Map.of() : json.readValue(stored, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", stored);
        }
    }
}
