package io.rampart.controlplane.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.rampart.controlplane.contacts.ContactBook;
import io.rampart.controlplane.fleet.AgentPresence;
import io.rampart.controlplane.fleet.CheckState;
import io.rampart.controlplane.policy.ConfiguredChecks;
import io.rampart.controlplane.policy.exceptions.PolicyExceptions;
import io.rampart.controlplane.policy.reviews.PlanReviews;
import io.rampart.controlplane.policy.rules.CheckEvidence;
import io.rampart.controlplane.policy.rules.PracticeEvidence;
import io.rampart.controlplane.policy.rules.SetAsideEvents;
import io.rampart.controlplane.tenancy.Practice;

/**
 * What the projections know about a set of practices, as the rules need it: a handful of
 * set-based queries for the whole set, so that recomputing the fleet is not a query per practice.
 */
@ApplicationScoped
public class PracticeEvidenceLoader {

    /** How recently an agent must have called in for its clock to count as the practice's. */
    static final Duration CLOCK_OFFSET_RECENT = Duration.ofDays(1);

    @Inject
    PolicyExceptions exceptions;
    @Inject
    PlanReviews planReviews;
    @Inject
    ContactBook contacts;
    @Inject
    ConfiguredChecks configuredChecks;

    @Transactional(TxType.MANDATORY)
    public Map<UUID, PracticeEvidence> load(Collection<Practice> practices, Instant now) {
        List<UUID> ids = practices.stream().map(p -> p.id).toList();
        Map<UUID, Map<String, CheckEvidence>> checks = new HashMap<>();
        for (CheckState state : CheckState.<CheckState> list("practiceId in ?1", ids)) {
            checks.computeIfAbsent(state.practiceId, id -> new LinkedHashMap<>())
                    .put(state.checkId, new CheckEvidence(state.checkId, CheckStates.toResult(state), state.observedAt));
        }
        Map<UUID, Instant> lastSeen = new HashMap<>();
        Map<UUID, Duration> clockOffsets = new HashMap<>();
        Map<UUID, SetAsideEvents> setAside = new HashMap<>();
        for (AgentPresence presence : AgentPresence.<AgentPresence> list("practiceId in ?1", ids)) {
            lastSeen.merge(presence.practiceId, presence.lastSeenAt, (a, b) -> a.isAfter(b) ? a : b);
            // an agent that stopped calling in (revoked, replaced) no longer speaks for the practice's clock
            if (presence.clockOffsetMs != null && presence.lastSeenAt.isAfter(now.minus(CLOCK_OFFSET_RECENT))) {
                // of several agents, the one whose clock is furthest off
                clockOffsets.merge(presence.practiceId, Duration.ofMillis(presence.clockOffsetMs),
                        (a, b) -> a.abs().compareTo(b.abs()) >= 0 ? a : b);
            }
            if (presence.setAside() > 0 && presence.lastSeenAt.isAfter(now.minus(CLOCK_OFFSET_RECENT))) {
                setAside.merge(presence.practiceId, new SetAsideEvents(presence.setAside(),
                        Optional.ofNullable(presence.oldestSetAsideAt)), SetAsideEvents::plus);
            }
        }
        var active = exceptions.activeFor(ids, now);
        var reviews = planReviews.latestFor(ids);
        var contactCounts = contacts.countsFor(practices);
        // which checks each practice's agents are told to run: a rule none of them serves is a configuration gap
        var configured = configuredChecks.idsOf(practices);

        Map<UUID, PracticeEvidence> evidence = new LinkedHashMap<>();
        for (Practice practice : practices) {
            evidence.put(practice.id, new PracticeEvidence(practice.id.toString(), practice.createdAt,
                    checks.getOrDefault(practice.id, Map.of()), Optional.ofNullable(lastSeen.get(practice.id)),
                    Optional.ofNullable(reviews.get(practice.id)),
                    Optional.ofNullable(contactCounts.get(practice.id)),
                    active.getOrDefault(practice.id, List.of()), Optional.ofNullable(clockOffsets.get(practice.id)),
                    setAside.getOrDefault(practice.id, SetAsideEvents.NONE),
                    Optional.of(configured.getOrDefault(practice.id, Set.of()))));
        }
        return evidence;
    }
}
