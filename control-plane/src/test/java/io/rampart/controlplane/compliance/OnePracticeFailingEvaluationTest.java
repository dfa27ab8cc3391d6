package io.rampart.controlplane.compliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.ManagementPort;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.compliance.v1.ComplianceChanged;

/**
 * One practice whose evaluation throws (PostgreSQL refuses its rule states: a real fault injected
 * with a trigger) is rolled back alone: the other provider's practice is evaluated and published;
 * the failing one shows "Rampart could not evaluate this practice since ...", is UNKNOWN, counted,
 * retried after a backoff, and evaluated once the fault is gone.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class OnePracticeFailingEvaluationTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    EntityManager entityManager;
    @Inject
    MeterRegistry registry;

    @Test
    void aPracticeWhoseEvaluationThrowsIsMarkedAndRetriedLaterWhileAnotherProvidersPracticeIsEvaluated() {
        Practice failing = fleet.newPractice("Poisoned Evaluation Surgery " + UUID.randomUUID());     // Northwind
        Practice healthy = fleet.newPracticeIn(DemoTenancy.SOUTHERN_GROUP, "Unaffected Clinic " + UUID.randomUUID()); // Southern
        assertThat(failing.providerId).isNotEqualTo(healthy.providerId);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(failing, t0, t0.minus(Duration.ofHours(1)));
        evidence.reportNasCopy(healthy, t0, t0.minus(Duration.ofHours(1)));
        // make both due before the other practices of the run, so that they share a batch
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "insert into practice_compliance (practice_id, provider_id, group_id, next_due_at) select id, provider_id, group_id, ?1 "
                        + "from practice where id in (?2, ?3) on conflict (practice_id) do update set next_due_at = excluded.next_due_at")
                .setParameter(1, t0.minus(Duration.ofDays(3650))).setParameter(2, failing.id).setParameter(3, healthy.id).executeUpdate());

        refuseRuleStatesOf(failing, true);
        try {
            evidence.evaluateAllDue(t0);

            assertThat(overall(healthy).status).isNotNull();
            assertThat(TopicReader.readAll("compliance").stream().map(r -> parse(r.value()))
                    .filter(change -> change.getPracticeId().equals(healthy.id.toString()))).isNotEmpty();

            PracticeCompliance marked = overall(failing);
            assertThat(marked.status).isEqualTo(PracticeStatus.UNKNOWN);
            assertThat(marked.evaluationAttempts).isEqualTo(1);
            assertThat(marked.evaluationFailingSince).isEqualTo(t0);
            assertThat(marked.nextDueAt).isEqualTo(t0.plus(Duration.ofMinutes(1)));
            assertThat(marked.evaluationError).isEqualTo("PSQLException: ERROR: test fault: rule states refused");
            @SuppressWarnings("unchecked")
            Map<String, Object> view = given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{id}/compliance", failing.id)
                    .then().statusCode(200).extract().as(Map.class);
            assertThat(view).containsEntry("status", "UNKNOWN");
            assertThat((String) view.get("reason")).isEqualTo("Rampart could not evaluate this practice since " + t0
                    + ": PSQLException: ERROR: test fault: rule states refused");
            assertThat((Map<String, Object>) view.get("evaluationFailure")).containsEntry("attempts", 1);
            assertThat(registry.get("rampart.compliance.evaluation.failures").tag("reason", "PSQLException").counter().count())
                    .isGreaterThanOrEqualTo(1);
            // the text format 0.0.4 (curl's default, and Prometheus') ends a label set with a comma, OpenMetrics does not
            assertThat(ManagementPort.given().get("/q/metrics").asString())
                    .containsPattern("(?m)^rampart_compliance_evaluation_failures_total\\{reason=\"PSQLException\",?\\} [1-9]");

            // not retried before its backoff, so it neither blocks the others nor spins
            evidence.evaluateAllDue(t0.plus(Duration.ofSeconds(30)));
            assertThat(overall(failing).evaluationAttempts).isEqualTo(1);
            // retried after it: still failing, so the next backoff is twice as long
            evidence.evaluateAllDue(t0.plus(Duration.ofMinutes(1)));
            assertThat(overall(failing).evaluationAttempts).isEqualTo(2);
            assertThat(overall(failing).nextDueAt).isEqualTo(t0.plus(Duration.ofMinutes(3)));
            assertThat(overall(failing).evaluationFailingSince).isEqualTo(t0);
        } finally {
            refuseRuleStatesOf(failing, false);
        }

        evidence.evaluateAllDue(t0.plus(Duration.ofMinutes(3)));
        PracticeCompliance recovered = overall(failing);
        assertThat(recovered.evaluationError).isNull();
        assertThat(recovered.evaluationAttempts).isZero();
        assertThat(recovered.reason).doesNotStartWith("Rampart could not evaluate");
        assertThat(recovered.evaluatedAt).isEqualTo(t0.plus(Duration.ofMinutes(3)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> RuleState.count("practiceId", failing.id))).isEqualTo(11);
        Object failure = given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{id}/compliance", failing.id)
                .then().statusCode(200).extract().path("evaluationFailure");
        assertThat(failure).isNull();
    }

    private PracticeCompliance overall(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> PracticeCompliance.<PracticeCompliance> findById(practice.id));
    }

    /** PostgreSQL refuses every rule state of the practice: its evaluation throws however it is run. */
    private void refuseRuleStatesOf(Practice practice, boolean on) {
        String name = "test_refuse_" + practice.id.toString().replace("-", "");
        QuarkusTransaction.requiringNew().run(() -> {
            if (on) {
                entityManager.createNativeQuery("create function " + name + "() returns trigger language plpgsql as $$ begin "
                        + "if new.practice_id = '" + practice.id + "' then raise exception 'test fault: rule states refused'; end if; "
                        + "return new; end $$").executeUpdate();
                entityManager.createNativeQuery("create trigger " + name + " before insert or update on rule_state "
                        + "for each row execute function " + name + "()").executeUpdate();
            } else {
                entityManager.createNativeQuery("drop trigger if exists " + name + " on rule_state").executeUpdate();
            }
        });
    }

    private static ComplianceChanged parse(byte[] value) {
        try {
            return ComplianceChanged.parseFrom(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
