package io.rampart.controlplane.compliance;

import java.sql.PreparedStatement;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;

import io.rampart.controlplane.fleet.NewEvidence;

/**
 * New evidence (the fleet projection stored events of a practice): the practice's compliance is evaluated again at
 * the next round of {@link ComplianceEvaluation} instead of at its regular recheck. Compliance owns practice_compliance,
 * so the projection asks here (a {@link NewEvidence} event) rather than writing the table itself.
 */
@ApplicationScoped
public class DueOnNewEvidence {

    @Inject
    EntityManager entityManager;

    /** Inside the projection's transaction; "now" is the database's, like the projection's own rows. */
    void markDue(@Observes NewEvidence evidence) {
        if (evidence.practiceIds().isEmpty()) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement due = connection.prepareStatement(
                    "update practice_compliance set next_due_at = now() where practice_id = any(?) and next_due_at > now()"
                            // a practice whose evaluation keeps failing waits for its backoff (EvaluationFailures)
                            + " and evaluation_attempts = 0")) {
                due.setArray(1, connection.createArrayOf("uuid", evidence.practiceIds().toArray()));
                due.executeUpdate();
            }
        });
    }
}
