package io.rampart.controlplane.compliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.TopicReader;
import io.rampart.protocol.compliance.v1.ComplianceChanged;
import io.rampart.protocol.compliance.v1.ComplianceStatus;

/**
 * Events in through the real Kafka topic and projection, rule states out, with the evaluation's
 * time moved forward by the test: silence and stale copies turn AT_RISK then FAIL, a policy change
 * and an exception are evaluated under their version, and two evaluations at once never take the
 * same practice.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class ComplianceEvaluationTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    DesiredConfiguration desiredConfiguration;

    @Test
    void aCopyAndAnAgentThatGoQuietTurnAtRiskThenFailAndEveryChangeIsKeptAndPublished() throws Exception {
        Practice practice = fleet.newPractice("Quiet Harbour Surgery " + UUID.randomUUID());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));

        evidence.evaluateAllDue(t0);
        assertThat(rules(practice)).containsEntry("nas-copy", "PASS").containsEntry("agent-heartbeat", "PASS")
                .containsEntry("cloud-copy", "UNKNOWN");

        // 25 h later the newest copy is 27 h old: past the 26 h limit, inside the 2 h grace
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(25)));
        assertThat(rules(practice)).containsEntry("nas-copy", "AT_RISK").containsEntry("agent-heartbeat", "FAIL");
        assertThat(ruleReason(practice, "agent-heartbeat")).startsWith("the agent last called in 25 h");
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(27)));
        assertThat(rules(practice)).containsEntry("nas-copy", "FAIL");

        Map<String, Object> report = given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{id}/compliance", practice.id)
                .then().statusCode(200).extract().as(Map.class);
        assertThat(report).containsEntry("status", "FAIL");
        assertThat((String) report.get("reason")).isNotBlank();
        assertThat((List<?>) report.get("rules")).hasSize(11);

        List<Map<String, Object>> history = given().auth().oauth2(Tokens.of("alice"))
                .get("/api/practices/{id}/compliance/history", practice.id).then().statusCode(200).extract().jsonPath().getList("");
        assertThat(history).filteredOn(change -> "nas-copy".equals(change.get("ruleId"))).extracting(change -> change.get("status"))
                .containsExactly("FAIL", "AT_RISK", "PASS");

        List<ComplianceChanged> published = new ArrayList<>();
        for (var record : TopicReader.readAll("compliance")) {
            ComplianceChanged change = ComplianceChanged.parseFrom(record.value());
            if (change.getPracticeId().equals(practice.id.toString())) {
                assertThat(record.key()).isEqualTo(practice.id.toString());
                published.add(change);
            }
        }
        assertThat(published).filteredOn(change -> change.getRuleId().equals("nas-copy")).extracting(ComplianceChanged::getStatus)
                .containsExactly(ComplianceStatus.COMPLIANCE_STATUS_PASS, ComplianceStatus.COMPLIANCE_STATUS_AT_RISK,
                        ComplianceStatus.COMPLIANCE_STATUS_FAIL);
        assertThat(published).hasSameSizeAs(history);
    }

    @Test
    void theGroupHistorySaysForHowLongTheGroupWasBelowFullComplianceOnARule() {
        Practice practice = fleet.newPractice("Below Full Lane " + UUID.randomUUID());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));                 // nas-copy FAIL
        evidence.reportNasCopy(practice, t0.plus(Duration.ofHours(33)), t0.plus(Duration.ofHours(32)));
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(33)));                 // nas-copy PASS again

        Map<String, Object> history = given().auth().oauth2(Tokens.of("alice"))
                .queryParam("rule", "nas-copy").queryParam("from", t0.toString()).queryParam("to", t0.plus(Duration.ofHours(40)).toString())
                .get("/api/groups/{id}/compliance/history", practice.groupId).then().statusCode(200).extract().as(Map.class);
        // states change when they are evaluated: FAIL at 30 h, PASS again at 33 h
        assertThat(Duration.parse((String) history.get("belowFullCompliance"))).isEqualTo(Duration.ofHours(3));

        given().auth().oauth2(Tokens.of("alice")).queryParam("rule", "no-such-rule").queryParam("from", "yesterday")
                .get("/api/groups/{id}/compliance/history", practice.groupId)
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItems("rule", "from"));
    }

    @Test
    void aPolicyChangeIsEvaluatedAtOnceUnderItsVersionAndAnExceptionPassesTheRuleWithItsReason() {
        Practice practice = fleet.newPractice("Policy Change Road " + UUID.randomUUID());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(20)));
        evidence.evaluateAllDue(t0);
        assertThat(rules(practice)).containsEntry("nas-copy", "PASS");

        Map<String, Object> document = given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/policy", practice.groupId)
                .then().statusCode(200).extract().path("document");
        @SuppressWarnings("unchecked")
        Map<String, Object> nasCopy = (Map<String, Object>) ((Map<String, Object>) document.get("rules")).get("nas-copy");
        nasCopy.put("maxAge", "PT12H");
        nasCopy.put("grace", "PT1H");
        nasCopy.put("noDataGrace", "PT13H");
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("document", document, "comment", "nightly copies must be fresher"))
                .put("/api/groups/{id}/policy", practice.groupId).then().statusCode(200);

        evidence.evaluateAllDue(Instant.now());
        RuleState nas = ruleState(practice, "nas-copy");
        assertThat(nas.status).isEqualTo(PracticeStatus.FAIL);
        assertThat(nas.policyVersion).isEqualTo(1);
        // and the group's agents are told to check against the new limit
        assertThat(desiredConfiguration.forPractice(practice.id).getChecksList())
                .filteredOn(check -> check.getCheckId().equals("nas-copy")).singleElement()
                .satisfies(check -> assertThat(check.getBackupFolder().getMaxAge().getSeconds()).isEqualTo(Duration.ofHours(12).toSeconds()));

        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("ruleId", "nas-copy", "reason", "NAS replaced this week; copies resume Friday", "approvedBy", "Dr Ahmed",
                        "until", t0.plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10)))
                .post("/api/practices/{id}/exceptions", practice.id).then().statusCode(201);
        evidence.evaluateAllDue(Instant.now());
        assertThat(ruleState(practice, "nas-copy").status).isEqualTo(PracticeStatus.PASS);
        assertThat(ruleState(practice, "nas-copy").reason).contains("NAS replaced this week");
    }

    @Test
    void evaluatingTheSameEvidenceAtTheSameTimesAgainGivesTheSameStates() {
        Practice practice = fleet.newPractice("Replay Street " + UUID.randomUUID());
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(1)));
        List<Instant> times = List.of(t0, t0.plus(Duration.ofHours(26)), t0.plus(Duration.ofHours(29)));
        times.forEach(evidence::evaluateAllDue);
        Map<String, String> first = rulesWithReasons(practice);
        List<String> firstHistory = historyOf(practice);

        QuarkusTransaction.requiringNew().run(() -> {
            RuleState.delete("practiceId", practice.id);
            ComplianceHistoryEntry.delete("practiceId", practice.id);
            PracticeCompliance.delete("practiceId", practice.id);
        });
        times.forEach(evidence::evaluateAllDue);

        assertThat(rulesWithReasons(practice)).isEqualTo(first);
        assertThat(historyOf(practice)).isEqualTo(firstHistory);
    }

    @Test
    void twoEvaluationsAtOnceNeverTakeTheSamePractice() {
        List<Practice> practices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            practices.add(fleet.newPractice("Twin Replica Practice " + i + " " + UUID.randomUUID()));
        }
        Instant now = Instant.now();
        // both "replicas" take small batches so that they run side by side over the same due rows
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> evidence.drain(now, 5));
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> evidence.drain(now, 5));
        first.join();
        second.join();

        List<UUID> ids = practices.stream().map(p -> p.id).toList();
        Map<UUID, Long> firstEvaluations = QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry
                .<ComplianceHistoryEntry> list("practiceId in ?1 and ruleId is null", ids).stream()
                .collect(Collectors.groupingBy(e -> e.practiceId, Collectors.counting())));
        assertThat(firstEvaluations).hasSize(40).allSatisfy((id, count) -> assertThat(count).isOne());
    }

    private static Map<String, String> rules(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> RuleState.<RuleState> list("practiceId", practice.id).stream()
                .collect(Collectors.toMap(s -> s.ruleId, s -> s.status.name())));
    }

    private static Map<String, String> rulesWithReasons(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> RuleState.<RuleState> list("practiceId", practice.id).stream()
                .collect(Collectors.toMap(s -> s.ruleId, s -> s.status + " " + s.reason + " " + s.since)));
    }

    private static List<String> historyOf(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.<ComplianceHistoryEntry> list(
                "practiceId = ?1 order by changedAt, ruleId", practice.id).stream()
                .map(e -> e.changedAt + " " + e.ruleId + " " + e.previousStatus + "->" + e.status + " " + e.reason).toList());
    }

    private static RuleState ruleState(Practice practice, String ruleId) {
        return QuarkusTransaction.requiringNew().call(() -> RuleState.<RuleState> findById(new RuleState.Key(practice.id, ruleId)));
    }

    private static String ruleReason(Practice practice, String ruleId) {
        return ruleState(practice, ruleId).reason;
    }
}
