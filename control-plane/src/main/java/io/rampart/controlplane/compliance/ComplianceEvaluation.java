package io.rampart.controlplane.compliance;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.events.EventOutbox;
import io.rampart.controlplane.events.Failures;
import io.rampart.controlplane.events.KafkaClients;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.policy.group.GroupPolicies.PolicyVersion;
import io.rampart.controlplane.policy.rules.PolicyEvaluation;
import io.rampart.controlplane.policy.rules.PracticeEvidence;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.policy.rules.RuleVerdict;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * Evaluates practices against their group's policy and keeps what changed: the rule states, the
 * practice's overall state, a history row and a compliance event for every change of status.
 *
 * <p>A practice is evaluated only while its practice_compliance row is locked ({@code for update
 * skip locked}), so several control-plane replicas never evaluate the same practice at once, and
 * each evaluation moves the row's next_due_at forward, so each due practice is evaluated once.
 * Events (the projection) and people (a policy change, an exception) make a practice due now;
 * otherwise it comes due again after {@link #RECHECK}, because time passing alone turns PASS into
 * AT_RISK and FAIL: silence must never look like health. The changes go to the compliance topic
 * through the transactional outbox (EventOutbox), in the evaluation's own transaction. A practice
 * whose evaluation throws never holds up the others (see evaluateDue).
 */
@ApplicationScoped
public class ComplianceEvaluation {

    /** How often a practice is evaluated when nothing happens to it. */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** This process, as operators find it: pid@host. */
    private static final Logger LOG = Logger.getLogger(ComplianceEvaluation.class);
    private static final String EVALUATOR = ManagementFactory.getRuntimeMXBean().getName();

    @Inject
    EntityManager entityManager;
    @Inject
    GroupPolicies policies;
    @Inject
    PracticeEvidenceLoader evidenceLoader;
    @Inject
    EventOutbox outbox;
    @Inject
    EvaluationFailures failures;
    @Inject
    KafkaClients clients;
    @Inject
    Clock clock;
    @Inject
    EvaluationMeters meters;

    /**
     * Evaluates up to {@code limit} practices that are due at {@code now} and not being evaluated
     * elsewhere; returns how many it took (evaluated, or found failing and put back with a backoff).
     * New practices are due at once.
     *
     * <p>The batch is evaluated in one transaction (set-based, fast). If that throws, it is rolled
     * back whole and its practices are taken again one per transaction, so that the one practice whose
     * evaluation throws is rolled back alone: it is marked failing (EvaluationFailures) and retried
     * after a backoff, and every other practice is evaluated as usual.
     */
    public int evaluateDue(Instant now, int limit) {
        // new practices get their row in a transaction of their own, which a failing batch cannot roll back
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                insert into practice_compliance (practice_id, provider_id, group_id, next_due_at)
                select id, provider_id, group_id, ?1 from practice where decommissioned_at is null
                on conflict (practice_id) do nothing""").setParameter(1, now).executeUpdate());
        long started = System.nanoTime();
        int taken;
        try {
            taken = QuarkusTransaction.requiringNew().call(() -> evaluateBatch(now, limit));
            meters.evaluated(taken);
        } catch (RuntimeException batchFailed) {
            LOG.debugf(batchFailed, "A batch of compliance evaluations failed; evaluating its practices one by one");
            taken = evaluateOneByOne(now, limit);
        }
        meters.round(taken, System.nanoTime() - started);
        return taken;
    }

    private int evaluateBatch(Instant now, int limit) {
        List<UUID> due = lockDue(now, limit);
        if (!due.isEmpty()) {
            evaluate(due, now);
        }
        return due.size();
    }

    private int evaluateOneByOne(Instant now, int limit) {
        int taken = 0;
        while (taken < limit) {
            UUID[] current = new UUID[1];
            try {
                boolean any = QuarkusTransaction.requiringNew().call(() -> {
                    List<UUID> due = lockDue(now, 1);
                    if (due.isEmpty()) {
                        return false;
                    }
                    current[0] = due.get(0);
                    evaluate(due, now);
                    return true;
                });
                if (!any) {
                    break;
                }
                meters.evaluated(1);
            } catch (RuntimeException e) {
                if (current[0] == null || Failures.isServerState(e)) {
                    // not one practice's fault: the database itself (unreachable, a deadlock, a serialisation failure)
                    throw e;
                }
                failures.record(current[0], e, now);
            }
            taken++;
        }
        return taken;
    }

    @SuppressWarnings("unchecked")
    private List<UUID> lockDue(Instant now, int limit) {
        return entityManager.createNativeQuery("""
                select pc.practice_id from practice_compliance pc
                where pc.next_due_at <= ?1
                    -- a decommissioned practice is evaluated no more: its last state stays as it was, read-only
                    and not exists (select 1 from practice p where p.id = pc.practice_id and p.decommissioned_at is not null)
                order by pc.next_due_at limit ?2 for update of pc skip locked""", UUID.class)
                .setParameter(1, now).setParameter(2, limit).getResultList();
    }

    /** Makes the practices due now (new events, an exception, a plan review). */
    @Transactional
    public void markDue(Collection<UUID> practiceIds, Instant now) {
        if (!practiceIds.isEmpty()) {
            PracticeCompliance.update("nextDueAt = ?1 where practiceId in ?2 and nextDueAt > ?1", now, practiceIds);
        }
    }

    /** Makes every practice of the group due now (its policy changed). */
    @Transactional
    public void markGroupDue(UUID groupId, Instant now) {
        PracticeCompliance.update("nextDueAt = ?1 where groupId = ?2 and nextDueAt > ?1", now, groupId);
    }

    /** A person changed a policy, an exception or a plan review: evaluate what it affects at the next round. */
    void onPolicyInputChanged(@Observes PolicyInputChanged change) {
        if (change.wholeGroup()) {
            markGroupDue(change.groupId(), clock.instant());
        } else {
            markDue(List.of(change.practiceId()), clock.instant());
        }
    }

    private void evaluate(List<UUID> practiceIds, Instant now) {
        List<Practice> practices = Practice.list("id in ?1", practiceIds);
        Map<UUID, PracticeEvidence> evidence = evidenceLoader.load(practices, now);
        Map<UUID, PracticeCompliance> overall = new HashMap<>();
        PracticeCompliance.<PracticeCompliance> list("practiceId in ?1", practiceIds).forEach(row -> overall.put(row.practiceId, row));
        Map<UUID, Map<String, RuleState>> stored = new HashMap<>();
        RuleState.<RuleState> list("practiceId in ?1", practiceIds)
                .forEach(row -> stored.computeIfAbsent(row.practiceId, id -> new HashMap<>()).put(row.ruleId, row));
        Map<UUID, PolicyVersion> groupPolicies = new HashMap<>();
        Map<UUID, List<Rule>> groupRules = new HashMap<>();

        List<ComplianceChanged> changes = new ArrayList<>();
        for (Practice practice : practices) {
            PolicyVersion policy = groupPolicies.computeIfAbsent(practice.groupId, policies::effective);
            List<Rule> rules = groupRules.computeIfAbsent(practice.groupId, group -> policy.document().rulesToEvaluate());
            PolicyEvaluation evaluation = PolicyEvaluation.evaluate(rules, evidence.get(practice.id), now);
            Map<String, RuleState> rulesBefore = stored.getOrDefault(practice.id, Map.of());
            Set<String> evaluated = new HashSet<>();
            for (RuleVerdict verdict : evaluation.verdicts()) {
                evaluated.add(verdict.ruleId());
                keepRule(practice, rulesBefore.get(verdict.ruleId()), verdict, policy.version(), now, changes);
            }
            // a rule the policy no longer has (turned off) no longer has a state
            rulesBefore.values().stream().filter(state -> !evaluated.contains(state.ruleId)).forEach(RuleState::delete);
            keepOverall(practice, overall.get(practice.id), evaluation, policy.version(), now, changes);
        }
        publish(changes);
    }

    /**
     * Writes a change that happened in the past into the compliance history, as the evaluation at
     * {@code changedAt} writes it (recordChange): the embedded demo's month of history. It is not
     * published to the compliance topic, whose consumer (alerting) acts on changes as news: a month
     * of past changes would become today's alerts and emails. Rule states and the practice's overall
     * state are left to the next evaluation, which continues the history from now.
     *
     * @param ruleId the rule, or null for the practice's overall state
     * @param previous the state before, null for the first
     */
    @Transactional
    public void recordPastChange(Practice practice, String ruleId, PracticeStatus status, PracticeStatus previous, String reason,
            Instant changedAt) {
        recordChange(practice, ruleId == null ? "" : ruleId, status, previous, reason, changedAt,
                policies.effective(practice.groupId).version());
    }

    /** The changes go to the compliance topic through the outbox, so they reach Kafka exactly when this transaction commits. */
    void publish(List<ComplianceChanged> changes) {
        outbox.add(changes.stream().map(change -> new EventOutbox.Entry(clients.complianceTopic(), change.getPracticeId(),
                UUID.fromString(change.getEventId()), change.toByteArray())).toList());
    }

    private static void keepRule(Practice practice, RuleState before, RuleVerdict verdict, int policyVersion, Instant now,
            List<ComplianceChanged> changes) {
        RuleState state = before;
        if (state == null) {
            state = new RuleState();
            state.practiceId = practice.id;
            state.ruleId = verdict.ruleId();
            state.providerId = practice.providerId;
            state.groupId = practice.groupId;
        }
        PracticeStatus previous = before == null ? null : before.status;
        if (verdict.status() != previous) {
            state.since = now;
            changes.add(recordChange(practice, verdict.ruleId(), verdict.status(), previous, verdict.reason(), now, policyVersion));
        }
        state.status = verdict.status();
        state.reason = verdict.reason();
        state.configurationGap = verdict.configurationGap();
        state.policyVersion = policyVersion;
        if (before == null) {
            state.persist();
        }
    }

    private static void keepOverall(Practice practice, PracticeCompliance row, PolicyEvaluation evaluation, int policyVersion,
            Instant now, List<ComplianceChanged> changes) {
        String reason = overallReason(evaluation);
        if (evaluation.status() != row.status) {
            row.since = now;
            changes.add(recordChange(practice, "", evaluation.status(), row.status, reason, now, policyVersion));
        }
        row.status = evaluation.status();
        row.reason = reason;
        row.policyVersion = policyVersion;
        row.evaluatedAt = now;
        row.evaluatedBy = EVALUATOR;
        row.nextDueAt = now.plus(RECHECK);
        // evaluated again: whatever made it fail before is gone
        row.evaluationError = null;
        row.evaluationFailingSince = null;
        row.evaluationAttempts = 0;
    }

    /** The worst rule's reason, named by its rule; how many others are not passing. */
    static String overallReason(PolicyEvaluation evaluation) {
        List<RuleVerdict> problems = evaluation.problems();
        if (problems.isEmpty()) {
            return "All " + evaluation.verdicts().size() + " rules pass";
        }
        RuleVerdict worst = problems.get(0);
        return worst.ruleId() + ": " + worst.reason() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
    }

    /** Writes the history row and returns the event for the compliance topic. */
    static ComplianceChanged recordChange(Practice practice, String ruleId, PracticeStatus status, PracticeStatus previous, String reason,
            Instant now, int policyVersion) {
        ComplianceChanged change = ComplianceChanged.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setProviderId(practice.providerId.toString())
                .setGroupId(practice.groupId.toString())
                .setPracticeId(practice.id.toString())
                .setRuleId(ruleId)
                .setStatus(toProto(status))
                .setPreviousStatus(toProto(previous))
                .setReason(reason)
                .setChangedAt(ProtoTime.timestamp(now))
                .setPolicyVersion(policyVersion)
                .build();
        ComplianceHistoryEntry history = new ComplianceHistoryEntry();
        history.providerId = practice.providerId;
        history.groupId = practice.groupId;
        history.practiceId = practice.id;
        history.ruleId = ruleId.isEmpty() ? null : ruleId;
        history.status = status;
        history.previousStatus = previous;
        history.reason = reason;
        history.changedAt = now;
        history.policyVersion = policyVersion;
        history.persist();
        return change;
    }

    private static ComplianceStatus toProto(PracticeStatus status) {
        return status == null ? ComplianceStatus.COMPLIANCE_STATUS_UNSPECIFIED : ComplianceStatus.valueOf("COMPLIANCE_STATUS_" + status.name());
    }
}
