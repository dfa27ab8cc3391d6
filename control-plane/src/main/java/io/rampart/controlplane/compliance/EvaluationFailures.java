package io.rampart.controlplane.compliance;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.operations.OperatorAlerts;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.compliance.v1.ComplianceChanged;

/**
 * A practice whose evaluation threw: its evaluation was rolled back alone; this keeps why and since
 * when on its practice_compliance row (evaluation_error, evaluation_failing_since,
 * evaluation_attempts), puts it back in the queue after a backoff (1 min, doubling, at most
 * {@link #MAX_BACKOFF}) so that it neither blocks the others nor spins, and makes sure it does not
 * look compliant: a practice that was not failing becomes UNKNOWN with the reason "Rampart could not
 * evaluate this practice since ...", published like any other change. Counted as
 * {@code rampart.compliance.evaluation.failures} (tag {@code reason}: the root cause's class), logged, and raised
 * to the platform operator once when a practice starts failing.
 */
@ApplicationScoped
public class EvaluationFailures {

    static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    /** The longest error text kept and shown. */
    static final int MAX_ERROR_CHARS = 300;
    private static final Logger LOG = Logger.getLogger(EvaluationFailures.class);

    @Inject
    EntityManager entityManager;
    @Inject
    ComplianceEvaluation evaluation;
    @Inject
    MeterRegistry registry;
    @Inject
    OperatorAlerts operator;

    /** Records the failure in a transaction of its own (the evaluation's was rolled back). */
    void record(UUID practiceId, RuntimeException failure, Instant now) {
        Throwable root = rootCause(failure);
        String error = describe(root);
        io.micrometer.core.instrument.Counter.builder("rampart.compliance.evaluation.failures").tag("reason", root.getClass().getSimpleName())
                .description("Practice evaluations that threw, by the root cause's class; the practice is retried after a backoff")
                .register(registry).increment();
        int attempts = QuarkusTransaction.requiringNew().call(() -> keep(practiceId, error, now));
        LOG.errorf(failure, "Could not evaluate the compliance of practice %s (%d attempts in a row); retrying after a backoff: %s",
                practiceId, attempts, error);
        if (attempts == 1) {
            // once per failing spell: the retries that follow are in the log and the counter
            operator.raise("the compliance of practice " + practiceId + " cannot be evaluated",
                    "Rampart could not evaluate practice " + practiceId + ": " + error + ". Its status shows UNKNOWN (or stays FAIL) with"
                            + " that reason; it is retried after 1, 2, 4 ... up to " + MAX_BACKOFF.toMinutes() + " min, and the other"
                            + " practices are evaluated meanwhile. The server log has the stack trace; the metric is"
                            + " rampart_compliance_evaluation_failures_total.");
        }
    }

    private int keep(UUID practiceId, String error, Instant now) {
        @SuppressWarnings("unchecked")
        List<UUID> locked = entityManager.createNativeQuery(
                "select practice_id from practice_compliance where practice_id = ?1 for update skip locked", UUID.class)
                .setParameter(1, practiceId).getResultList();
        if (locked.isEmpty()) {
            return 0; // another replica has it now
        }
        PracticeCompliance row = PracticeCompliance.findById(practiceId);
        Practice practice = Practice.findById(practiceId);
        row.evaluationAttempts++;
        if (row.evaluationFailingSince == null) {
            row.evaluationFailingSince = now;
        }
        row.evaluationError = error;
        row.nextDueAt = now.plus(backoff(row.evaluationAttempts));
        String reason = reason(row.evaluationFailingSince, error);
        // a failing practice stays FAIL; any other state (PASS, AT_RISK, none yet) is no longer known
        PracticeStatus status = row.status == PracticeStatus.FAIL ? PracticeStatus.FAIL : PracticeStatus.UNKNOWN;
        if (status != row.status && practice != null) {
            ComplianceChanged change = ComplianceEvaluation.recordChange(practice, "", status, row.status, reason, now,
                    row.policyVersion == null ? 0 : row.policyVersion);
            evaluation.publish(List.of(change));
            row.since = now;
        }
        row.status = status;
        row.reason = reason;
        return row.evaluationAttempts;
    }

    /** What a person reads on the practice's compliance view. */
    static String reason(Instant failingSince, String error) {
        return "Rampart could not evaluate this practice since " + failingSince + ": " + error;
    }

    /** 1 min after the first failure, doubling with each one after, at most MAX_BACKOFF. */
    static Duration backoff(int attempts) {
        Duration backoff = ComplianceEvaluation.RECHECK.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    /** The innermost cause; for a JDBC batch, the statement's own error rather than the batch's (which quotes the SQL). */
    static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SQLException sql && sql.getNextException() != null) {
            return rootCause(sql.getNextException());
        }
        return root;
    }

    /** The root cause's class and the first line of its message, at most MAX_ERROR_CHARS characters. */
    static String describe(Throwable root) {
        String message = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").strip();
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }
}
