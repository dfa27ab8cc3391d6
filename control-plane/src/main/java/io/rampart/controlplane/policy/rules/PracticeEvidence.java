package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the projections know about one practice, as the rules need it. Immutable; the
 * {@code with...} methods return a copy.
 *
 * @param latestChecks     the latest result of each check, by check id
 * @param agentClockOffset how far the practice's agent's clock is ahead of the control plane's (negative:
 *                         behind), from its latest batch; of several agents, the one furthest off
 * @param setAside         events the practice's agents hold aside because the control plane refused them
 * @param configuredChecks the ids of the checks the practice's agents are configured to run (its group's check set
 *                         merged with the practice's own); empty when not known, and then no rule is a
 *                         configuration gap
 */
public record PracticeEvidence(
        String practiceId,
        Instant onboardedAt,
        Map<String, CheckEvidence> latestChecks,
        Optional<Instant> lastHeartbeat,
        Optional<PlanReview> planReview,
        Optional<Contacts> contacts,
        List<PolicyException> exceptions,
        Optional<Duration> agentClockOffset,
        SetAsideEvents setAside,
        Optional<Set<String>> configuredChecks) {

    public PracticeEvidence {
        configuredChecks = configuredChecks == null ? Optional.empty() : configuredChecks.map(Set::copyOf);
        setAside = setAside == null ? SetAsideEvents.NONE : setAside;
        Objects.requireNonNull(practiceId, "practiceId");
        Objects.requireNonNull(onboardedAt, "onboardedAt");
        latestChecks = Map.copyOf(latestChecks);
        exceptions = List.copyOf(exceptions);
    }

    /** Without knowing which checks are configured: no configuration gaps. */
    public PracticeEvidence(String practiceId, Instant onboardedAt, Map<String, CheckEvidence> latestChecks,
            Optional<Instant> lastHeartbeat, Optional<PlanReview> planReview, Optional<Contacts> contacts,
            List<PolicyException> exceptions, Optional<Duration> agentClockOffset, SetAsideEvents setAside) {
        this(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, exceptions, agentClockOffset, setAside,
                Optional.empty());
    }

    /** As before agents reported events set aside: none. */
    public PracticeEvidence(String practiceId, Instant onboardedAt, Map<String, CheckEvidence> latestChecks,
            Optional<Instant> lastHeartbeat, Optional<PlanReview> planReview, Optional<Contacts> contacts,
            List<PolicyException> exceptions, Optional<Duration> agentClockOffset) {
        this(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, exceptions, agentClockOffset, SetAsideEvents.NONE);
    }

    /** A practice onboarded at the given time of which nothing is known yet. */
    public static PracticeEvidence onboarded(String practiceId, Instant onboardedAt) {
        return new PracticeEvidence(practiceId, onboardedAt, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());
    }

    /**
     * The checks that are evidence for a rule: those whose id is one of the given ids, or starts
     * with one of them followed by '-' (e.g. "db-sync-clinical" for "db-sync"), sorted by id.
     */
    public List<CheckEvidence> checks(Collection<String> checkIds) {
        return latestChecks.values().stream()
                .filter(c -> checkIds.stream().anyMatch(id -> c.checkId().equals(id) || c.checkId().startsWith(id + "-")))
                .sorted(Comparator.comparing(CheckEvidence::checkId))
                .toList();
    }

    /** The active exception to a rule that lasts longest, if any. */
    public Optional<PolicyException> activeException(String ruleId, Instant now) {
        return exceptions.stream()
                .filter(e -> e.ruleId().equals(ruleId) && e.activeAt(now))
                .max(Comparator.comparing(PolicyException::until));
    }

    public PracticeEvidence withCheck(CheckEvidence check) {
        Map<String, CheckEvidence> checks = new LinkedHashMap<>(latestChecks);
        checks.put(check.checkId(), check);
        return new PracticeEvidence(practiceId, onboardedAt, checks, lastHeartbeat, planReview, contacts, exceptions, agentClockOffset, setAside,
                configuredChecks);
    }

    public PracticeEvidence withHeartbeat(Instant at) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, Optional.of(at), planReview, contacts, exceptions, agentClockOffset, setAside,
                configuredChecks);
    }

    public PracticeEvidence withPlanReview(PlanReview review) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, Optional.of(review), contacts, exceptions, agentClockOffset, setAside,
                configuredChecks);
    }

    public PracticeEvidence withContacts(Contacts value) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, Optional.of(value), exceptions, agentClockOffset,
                setAside, configuredChecks);
    }

    public PracticeEvidence withAgentClockOffset(Duration offset) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, exceptions, Optional.of(offset), setAside,
                configuredChecks);
    }

    public PracticeEvidence withSetAside(SetAsideEvents value) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, exceptions, agentClockOffset, value,
                configuredChecks);
    }

    /** With the ids of the checks the practice's agents are configured to run. */
    public PracticeEvidence withConfiguredChecks(Set<String> checkIds) {
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, exceptions, agentClockOffset, setAside,
                Optional.of(checkIds));
    }

    public PracticeEvidence withException(PolicyException exception) {
        List<PolicyException> all = new ArrayList<>(exceptions);
        all.add(exception);
        return new PracticeEvidence(practiceId, onboardedAt, latestChecks, lastHeartbeat, planReview, contacts, all, agentClockOffset, setAside,
                configuredChecks);
    }
}
