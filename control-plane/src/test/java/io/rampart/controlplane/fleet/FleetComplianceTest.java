package io.rampart.controlplane.fleet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.compliance.PracticeCompliance;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * The fleet page's query: filtered, searched, sorted, paged and counted in the database. The
 * compliance state is written as the evaluation would leave it (the evaluation has its own tests).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class FleetComplianceTest {

    @Inject
    TestFleet fleet;
    @Inject
    EntityManager entityManager;

    private String token;
    private Practice failing;
    private Practice atRisk;
    private Practice passing;

    @BeforeEach
    void threePracticesInThreeStates() {
        token = "Fleetwood " + UUID.randomUUID().toString().substring(0, 8);
        failing = fleet.newPractice(token + " Cliff Surgery");
        atRisk = fleet.newPractice(token + " Arden Practice");
        passing = fleet.newPractice(token + " Beach Clinic");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        QuarkusTransaction.requiringNew().run(() -> {
            state(failing, "FAIL", "nas-copy: last NAS copy 80 h ago (limit 26 h)", now);
            rule(failing, "nas-copy", "FAIL", "last NAS copy 80 h ago (limit 26 h)", now);
            rule(failing, "ups", "AT_RISK", "self-test 91 days ago", now);
            state(atRisk, "AT_RISK", "ups: self-test 91 days ago", now);
            rule(atRisk, "ups", "AT_RISK", "self-test 91 days ago", now);
            rule(atRisk, "nas-copy", "PASS", "last NAS copy 2 h ago", now);
            state(passing, "PASS", "every rule passes", now);
            rule(passing, "nas-copy", "PASS", "last NAS copy 1 h ago", now);
            entityManager.createNativeQuery("""
                    insert into event_history (event_id, provider_id, group_id, practice_id, agent_id, type, check_id, status, summary,
                        occurred_at, received_at, kafka_partition, kafka_offset)
                    values (?1, ?2, ?3, ?4, ?5, 'CHECK_RESULT', 'restore-test', 'PASS', 'restored in 6 min', ?6, ?6, 0, 0)""")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, passing.providerId).setParameter(3, passing.groupId)
                    .setParameter(4, passing.id).setParameter(5, UUID.randomUUID()).setParameter(6, now.minus(2, ChronoUnit.DAYS))
                    .executeUpdate();
        });
    }

    @Test
    void worstFirstWithTheRulesEachPracticeFailsAndCountsPerState() {
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("sort", "state").get("/api/fleet/compliance").then()
                .statusCode(200).body("total", equalTo(3))
                .body("counts.FAIL", equalTo(1)).body("counts.AT_RISK", equalTo(1)).body("counts.PASS", equalTo(1))
                .body("practices.name", contains(failing.name, atRisk.name, passing.name))
                .body("practices[0].state", equalTo("FAIL"))
                .body("practices[0].problems.ruleId", contains("nas-copy", "ups"))
                .body("practices[0].problems[0].reason", equalTo("last NAS copy 80 h ago (limit 26 h)"))
                .body("practices[2].problems.size()", equalTo(0))
                .body("practices[2].lastVerifiedRestoreAt", notNullValue())
                .body("practices[0].lastVerifiedRestoreAt", nullValue());
    }

    @Test
    void filtersByStateRuleAndGroupAndPagesByName() {
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("state", "AT_RISK").get("/api/fleet/compliance").then()
                .statusCode(200).body("total", equalTo(1)).body("practices.name", contains(atRisk.name))
                .body("counts.FAIL", equalTo(1)).body("counts.PASS", equalTo(1)); // counts ignore the state filter
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("rule", "ups").get("/api/fleet/compliance").then()
                .statusCode(200).body("practices.name", containsInAnyOrder(failing.name, atRisk.name));
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("rule", "nas-copy").get("/api/fleet/compliance").then()
                .statusCode(200).body("practices.name", contains(failing.name));
        given().auth().oauth2(Tokens.of("alice")).queryParam("groupId", passing.groupId).get("/api/fleet/compliance").then()
                .statusCode(200).body("practices.name", contains(passing.name)).body("groups.id", org.hamcrest.Matchers.hasItem(passing.groupId.toString()));
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("sort", "name").queryParam("size", 2)
                .queryParam("page", 1).get("/api/fleet/compliance").then().statusCode(200)
                .body("total", equalTo(3)).body("practices.name", contains(failing.name)); // Arden, Beach | Cliff
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", "%").get("/api/fleet/compliance").then().statusCode(200)
                .body("total", equalTo(0)); // a wildcard typed is searched for, not obeyed
    }

    @Test
    void eachPersonSeesOnlyTheirTenancy() {
        given().auth().oauth2(Tokens.of("pat")).get("/api/fleet/compliance").then().statusCode(200)
                .body("total", equalTo(1)).body("practices.id", contains(DemoTenancy.HARBOUR_STREET.toString()));
        given().auth().oauth2(Tokens.of("olivia")).queryParam("q", token).get("/api/fleet/compliance").then().statusCode(200)
                .body("total", equalTo(0));
        given().auth().oauth2(Tokens.of("grace")).get("/api/fleet/compliance").then().statusCode(200)
                .body("practices.groupId", everyItem(equalTo(DemoTenancy.COASTAL.toString())))
                .body("groups.id", contains(DemoTenancy.COASTAL.toString()));
    }

    @Test
    void sortsByGroupNameWhateverItsCaseThenWorstFirstAndFindsEveryPracticeOfAGroupByTheGroupsName() {
        Practice sibling = fleet.newPracticeIn(failing.groupId, "Dune Surgery " + UUID.randomUUID().toString().substring(0, 8));
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("update practice_group set name = lower(name) where id = ?1")
                .setParameter(1, passing.groupId).executeUpdate());

        // the groups: "Group of <token> Arden Practice", "group of <token> beach clinic", "Group of <token> Cliff Surgery";
        // within the last, the failing practice before the one not evaluated yet
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", token).queryParam("sort", "group").get("/api/fleet/compliance").then()
                .statusCode(200).body("total", equalTo(4))
                .body("practices.name", contains(atRisk.name, passing.name, failing.name, sibling.name))
                .body("practices.state", contains("AT_RISK", "PASS", "FAIL", "UNKNOWN"))
                .body("counts.UNKNOWN", equalTo(1));
        // the sibling's own name does not match; its group's does, in any case
        given().auth().oauth2(Tokens.of("alice")).queryParam("q", "OF " + token.toUpperCase(java.util.Locale.ROOT) + " CLIFF")
                .get("/api/fleet/compliance").then().statusCode(200)
                .body("total", equalTo(2)).body("practices.name", contains(failing.name, sibling.name));
    }

    @Test
    void aBadFilterIsRefusedWithEveryProblem() {
        given().auth().oauth2(Tokens.of("alice")).queryParam("state", "BROKEN").queryParam("size", 0).queryParam("sort", "colour")
                .get("/api/fleet/compliance").then().statusCode(400).body("errors.field", containsInAnyOrder("state", "size", "sort"));
    }

    private void state(Practice practice, String status, String reason, Instant now) {
        PracticeCompliance compliance = new PracticeCompliance();
        compliance.practiceId = practice.id;
        compliance.providerId = practice.providerId;
        compliance.groupId = practice.groupId;
        compliance.status = PracticeStatus.valueOf(status);
        compliance.reason = reason;
        compliance.since = now;
        compliance.policyVersion = 0;
        compliance.evaluatedAt = now;
        compliance.nextDueAt = now.plus(1, ChronoUnit.DAYS);
        entityManager.merge(compliance);
    }

    private void rule(Practice practice, String ruleId, String status, String reason, Instant now) {
        entityManager.createNativeQuery("""
                insert into rule_state (practice_id, rule_id, provider_id, group_id, status, reason, since, policy_version)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)
                on conflict (practice_id, rule_id) do update set status = excluded.status, reason = excluded.reason""")
                .setParameter(1, practice.id).setParameter(2, ruleId).setParameter(3, practice.providerId).setParameter(4, practice.groupId)
                .setParameter(5, status).setParameter(6, reason).setParameter(7, now).executeUpdate();
    }
}
