package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.rampart.controlplane.alerts.IncidentEmails.Unknown;
import io.rampart.controlplane.policy.ChecksFedFromOutside;
import io.rampart.controlplane.policy.rules.AgentHeartbeatRule;
import io.rampart.controlplane.policy.rules.CheckCoverage;

/**
 * Whether a practice's agent is silent, and what Rampart cannot see because of it.
 *
 * <p>Silence is the agent-heartbeat rule failing: it FAILs when the agent has not called in for its limit plus grace
 * (10 min + 1 min by default; an agent that never called in, 1 h after onboarding), and only then (a clock problem or
 * events set aside make it AT_RISK). Meanwhile the compliance evaluation goes on judging the practice's other rules on
 * the last evidence the agent sent, which only ages: a copy rule passes until its newest copy is older than its limit,
 * is AT_RISK inside its grace and FAILs after it (nas-copy 26 h + 2 h), whatever happened to the NAS; a rule that
 * never had evidence FAILs after its no-data grace. Those verdicts say nothing about the backups, so while the agent
 * is silent they open alerts marked silenced, which nobody is emailed about on their own.
 *
 * <p>A rule fed by a check from outside the agent (a reported job with a live ping URL) is judged as usual: its
 * evidence still arrives. The facts come from the compliance evaluation's rule_state (status and since when), written in the same
 * transaction as the compliance event the alerting applies.
 */
@ApplicationScoped
public class AgentSilence {

    /** Rules judged on what people enter, not on the agent's evidence: silence does not make them unknown. */
    private static final Set<String> NOT_FROM_THE_AGENT = Set.of(AgentHeartbeatRule.ID, "plan-review", "contacts");
    /** rule_state.since is stored to the microsecond: the change's own time may read up to this later. */
    private static final Duration SAME_CHANGE = Duration.ofMillis(1);

    @Inject
    EntityManager entityManager;
    @Inject
    Instance<ChecksFedFromOutside> fedFromOutside;

    /** True for the alert of an agent gone silent: agent-heartbeat failing. */
    static boolean isSilence(Alert alert) {
        return AgentHeartbeatRule.ID.equals(alert.ruleId) && alert.level == Alert.Level.FAIL;
    }

    /** True for a rule judged on evidence the practice's agent sends (false: people's, or a check fed from outside). */
    boolean judgedOnAgentEvidence(UUID practiceId, String ruleId) {
        return judgedOnAgentEvidence(ruleId, fedFromOutside(practiceId));
    }

    private static boolean judgedOnAgentEvidence(String ruleId, Set<String> fedFromOutside) {
        return !NOT_FROM_THE_AGENT.contains(ruleId) && fedFromOutside.stream().noneMatch(checkId -> CheckCoverage.serves(checkId, ruleId));
    }

    private Set<String> fedFromOutside(UUID practiceId) {
        Set<String> fed = new java.util.HashSet<>();
        fedFromOutside.forEach(feed -> fed.addAll(feed.of(practiceId)));
        return fed;
    }

    /** True when the practice's agent had been silent since {@code at} or before (agent-heartbeat FAIL since then). */
    boolean silentAt(UUID practiceId, Instant at) {
        return !entityManager.createNativeQuery("""
                select 1 from rule_state where practice_id = ?1 and rule_id = ?2 and status = 'FAIL' and since <= ?3""")
                .setParameter(1, practiceId).setParameter(2, AgentHeartbeatRule.ID).setParameter(3, at.plus(SAME_CHANGE))
                .getResultList().isEmpty();
    }

    /**
     * The practice's rules judged on its agent's evidence, with their last known state, in the order of their ids;
     * configuration gaps (no check can feed them, silent or not) are left out. A rule whose state changed once the agent was
     * already silent (rule_state.since at or after agent-heartbeat's FAIL since, within {@link #SAME_CHANGE}), or whose
     * open alert is silenced, got its verdict from evidence that only aged: it is marked {@code aged}, as its status says
     * nothing about the backups.
     */
    List<Unknown> unknown(UUID practiceId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select rule_id, status, reason, since from rule_state
                where practice_id = ?1 and not configuration_gap order by rule_id""")
                .setParameter(1, practiceId).getResultList();
        Instant silentSince = rows.stream().filter(row -> AgentHeartbeatRule.ID.equals(row[0]) && "FAIL".equals(row[1]))
                .map(row -> toInstant(row[3])).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Set<String> silenced = Set.copyOf(Alert.<Alert> list("practiceId = ?1 and silenced = true and status <> ?2", practiceId,
                Alert.Status.RESOLVED).stream().map(alert -> alert.ruleId).toList());
        Set<String> fed = fedFromOutside(practiceId);
        return rows.stream().filter(row -> judgedOnAgentEvidence((String) row[0], fed)).map(row -> {
            Instant since = toInstant(row[3]);
            boolean aged = silenced.contains((String) row[0])
                    || silentSince != null && since != null && !since.plus(SAME_CHANGE).isBefore(silentSince);
            return new Unknown((String) row[0], (String) row[1], (String) row[2], since, aged);
        }).toList();
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("rule_state.since read as " + value.getClass());
    }
}
