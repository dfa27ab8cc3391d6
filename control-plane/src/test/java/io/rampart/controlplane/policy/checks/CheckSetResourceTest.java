package io.rampart.controlplane.policy.checks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.policy.AgentConfigurationChanged;
import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * A provider admin starts a group's check set from a template, edits it, and has one practice run its cloud copy with
 * borg and no UPS: every change reaches the agents' configuration, is announced and audited, every refusal names the
 * field, and a rule no configured check serves shows as a configuration gap.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class CheckSetResourceTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    DesiredConfiguration desiredConfiguration;
    @Inject
    Announcements announcements;

    /** The announcements to agents that committed. */
    @ApplicationScoped
    static class Announcements {
        private final List<AgentConfigurationChanged> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        List<AgentConfigurationChanged> seen() {
            return List.copyOf(seen);
        }

        void on(@Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS) AgentConfigurationChanged change) {
            seen.add(change);
        }
    }

    @Test
    void aGroupsCheckAPracticesOwnRestoreTestRestoresIsNotRemovedFromUnderIt() {
        Practice practice = fleet.newPractice("Restore Row Surgery " + UUID.randomUUID());
        String group = "/api/groups/" + practice.groupId + "/checks";
        String offsite = "offsite-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice").body("{\"checkId\": \"" + offsite + "\", \"kind\": \"RESTIC_REPOSITORY\", \"intervalSeconds\": 3600}").post(group).then()
                .statusCode(201);
        as("alice").body("{\"kind\": \"RESTORE_TEST\", \"intervalSeconds\": 86400, \"settings\": {\"sourceCheckId\": \"" + offsite + "\"}}")
                .put("/api/practices/" + practice.id + "/checks/restore-" + offsite).then().statusCode(200);

        as("alice").delete(group + "/" + offsite).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("of " + practice.name + " restores the group's \"" + offsite + "\""));

        // once the practice restores a check of its own of that id, the group's may go
        as("alice").body("{\"kind\": \"BORG_REPOSITORY\", \"intervalSeconds\": 3600}").put("/api/practices/" + practice.id + "/checks/" + offsite)
                .then().statusCode(200);
        as("alice").delete(group + "/" + offsite).then().statusCode(204);
    }

    @Test
    void aPracticesNotHereGoesWithTheGroupsCheckSoALaterCheckOfThatIdRunsThere() {
        Practice practice = fleet.newPractice("Not Here Surgery " + UUID.randomUUID());
        String group = "/api/groups/" + practice.groupId + "/checks";
        String checks = "/api/practices/" + practice.id + "/checks";
        String offsite = "offsite-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"checkId\": \"" + offsite + "\", \"kind\": \"RESTIC_REPOSITORY\", \"intervalSeconds\": 3600}";
        as("alice").body(body).post(group).then().statusCode(201);
        as("alice").delete(checks + "/" + offsite).then().statusCode(200);
        assertThat(desiredConfiguration.forPractice(practice.id).getChecksList()).extracting(CheckDefinition::getCheckId).doesNotContain(offsite);

        as("alice").delete(group + "/" + offsite).then().statusCode(204);
        as("alice").body(body).post(group).then().statusCode(201);

        assertThat(desiredConfiguration.forPractice(practice.id).getChecksList()).as("the new check runs at the practice")
                .extracting(CheckDefinition::getCheckId).contains(offsite);
        List<Map<String, Object>> now = as("alice").get(checks).then().statusCode(200).extract().jsonPath().getList("checks");
        assertThat(now).filteredOn(c -> c.get("checkId").equals(offsite)).extracting(c -> c.get("removed"), c -> c.get("origin"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, "GROUP"));
        List<AuditEntry> dropped = QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list(
                "action = 'practice-check.not-here-dropped' and targetId = ?1", practice.id + "/" + offsite));
        assertThat(dropped).singleElement().satisfies(e -> {
            assertThat(e.practiceId).isEqualTo(practice.id);
            assertThat(e.actorUsername).isEqualTo("alice");
            assertThat(e.after).contains("the group's check \\\"" + offsite + "\\\" was removed");
        });

        // starting the set again from a template without the check takes the practice's "not here" with it too
        as("alice").delete(checks + "/" + offsite).then().statusCode(200);
        as("alice").body("{\"template\": \"reference\", \"replace\": true}").post(group + "/from-template").then().statusCode(200);
        as("alice").body(body).post(group).then().statusCode(201);
        assertThat(desiredConfiguration.forPractice(practice.id).getChecksList()).extracting(CheckDefinition::getCheckId).contains(offsite);
    }

    @Test
    void aGroupsCheckSetStartsFromATemplateAndEachPracticeMayRunItsOwnWay() {
        Practice borgPractice = fleet.newPractice("Borg Lane Surgery " + UUID.randomUUID());
        Practice resticPractice = fleet.newPracticeIn(borgPractice.groupId, "Restic Road Surgery " + UUID.randomUUID());
        String group = "/api/groups/" + borgPractice.groupId + "/checks";

        // the group already has nas-copy: the template does not overwrite it silently
        as("alice").body("{\"template\": \"reference\"}").post(group + "/from-template").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("already has the checks nas-copy"));
        List<Map<String, Object>> set = as("alice").body("{\"template\": \"reference\", \"cloudTool\": \"restic\", \"replace\": true}")
                .post(group + "/from-template").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(set).extracting(c -> c.get("checkId")).containsExactly("archive-retention", "cloud-copy", "db-sync", "nas-copy",
                "restore-test", "system-image", "ups", "usb-copy", "usb-rotation");
        assertThat(set).filteredOn(c -> c.get("checkId").equals("usb-copy")).extracting(c -> c.get("servesRule")).containsExactly("usb-rotation");
        assertThat(announcements.seen()).anyMatch(c -> borgPractice.groupId.equals(c.groupId()) && c.practiceId() == null);

        // a technician reads, and may not change
        as("tom").get(group).then().statusCode(200);
        as("tom").body("{\"checkId\": \"ups-2\", \"kind\": \"UPS\", \"intervalSeconds\": 300}").post(group).then().statusCode(403);

        // one practice: borg for its cloud copy, and no UPS
        String practice = "/api/practices/" + borgPractice.id + "/checks";
        as("alice").body("{\"kind\": \"BORG_REPOSITORY\", \"intervalSeconds\": 3600, \"settings\": {\"minSnapshots\": 2}}")
                .put(practice + "/cloud-copy").then().statusCode(200);
        Map<String, Object> checks = as("alice").delete(practice + "/ups").then().statusCode(200).extract().jsonPath().getMap("");
        assertThat((List<Map<String, Object>>) checks.get("checks")).filteredOn(c -> c.get("checkId").equals("cloud-copy"))
                .extracting(c -> c.get("kind"), c -> c.get("origin")).containsExactly(org.assertj.core.groups.Tuple.tuple("BORG_REPOSITORY",
                        "PRACTICE_OVERRIDE"));
        assertThat((List<Map<String, Object>>) checks.get("checks")).filteredOn(c -> c.get("checkId").equals("ups"))
                .extracting(c -> c.get("removed")).containsExactly(true);
        assertThat((List<String>) checks.get("configurationGaps")).containsExactly("ups");
        assertThat(announcements.seen()).anyMatch(c -> borgPractice.id.equals(c.practiceId()));

        AgentConfiguration borg = desiredConfiguration.forPractice(borgPractice.id);
        CheckDefinition cloud = check(borg, "cloud-copy");
        assertThat(cloud.getKind()).isEqualTo(CheckKind.CHECK_KIND_BORG_REPOSITORY);
        assertThat(cloud.getRepository().getMinSnapshots()).isEqualTo(2);
        assertThat(cloud.getRepository().getMaxAge().getSeconds()).as("the policy's 26 h").isEqualTo(26 * 3600);
        assertThat(borg.getChecksList()).extracting(CheckDefinition::getCheckId).doesNotContain("ups");
        AgentConfiguration restic = desiredConfiguration.forPractice(resticPractice.id);
        assertThat(check(restic, "cloud-copy").getKind()).isEqualTo(CheckKind.CHECK_KIND_RESTIC_REPOSITORY);
        assertThat(restic.getChecksList()).extracting(CheckDefinition::getCheckId).contains("ups");

        // back to the group's UPS
        as("alice").delete(practice + "/ups/override").then().statusCode(200);
        assertThat(desiredConfiguration.forPractice(borgPractice.id).getChecksList()).extracting(CheckDefinition::getCheckId).contains("ups");

        List<String> actions = QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list(
                "groupId = ?1 order by occurredAt", borgPractice.groupId).stream().map(e -> e.action).toList());
        assertThat(actions).containsSubsequence("group-checks.template-applied", "practice-check.set", "practice-check.removed",
                "practice-check.reverted");
    }

    @Test
    void everyRefusalNamesTheFieldAndChangesNothing() {
        Practice practice = fleet.newPractice("Careful Street Surgery " + UUID.randomUUID());
        String group = "/api/groups/" + practice.groupId + "/checks";
        as("alice").body("{\"template\": \"offsite-essentials\", \"cloudTool\": \"borg\"}").post(group + "/from-template").then()
                .statusCode(200);

        refused(as("alice").body("{\"checkId\": \"ups-server-room\", \"kind\": \"UPS\", \"intervalSeconds\": 300, "
                + "\"settings\": {\"maxAge\": \"93600s\"}}").post(group), "settings.maxAge",
                "is not a setting of UPS checks; they have minRuntime, maxSelfTestAge, selfTestGrace");
        refused(as("alice").body("{\"checkId\": \"Server Room\", \"kind\": \"UPS\", \"intervalSeconds\": 30}").post(group), "checkId",
                "\"Server Room\" may hold only lower-case letters, digits and single '-' between them, e.g. cloud-copy");
        refused(as("alice").body("{\"kind\": \"RESTORE_TEST\", \"intervalSeconds\": 86400, \"settings\": {\"sourceCheckId\": \"ups\"}}")
                .put(group + "/restore-test"), "settings.sourceCheckId",
                "\"ups\" is a UPS check, which cannot be restored; a restore test restores a BACKUP_FOLDER, RESTIC_REPOSITORY or "
                        + "BORG_REPOSITORY check: cloud-copy, nas-copy");
        refused(as("alice").body("{\"template\": \"everything\"}").post(group + "/from-template"), "template",
                "one of reference, offsite-essentials, onsite-copies");
        // the restore test restores the cloud copy: it cannot go, nor become a kind that cannot be restored
        as("alice").delete(group + "/cloud-copy").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.equalTo("The restore test \"restore-test\" restores \"cloud-copy\"; give it another "
                        + "source before you remove it"));
        as("alice").body("{\"kind\": \"UPS\", \"intervalSeconds\": 300}").put(group + "/cloud-copy").then().statusCode(409);
        as("alice").body("{\"checkId\": \"ups\", \"kind\": \"UPS\", \"intervalSeconds\": 300}").post(group).then().statusCode(409);
        as("alice").delete(group + "/no-such-check").then().statusCode(404);

        List<Map<String, Object>> set = as("alice").get(group).then().statusCode(200).extract().jsonPath().getList("");
        assertThat(set).extracting(c -> c.get("checkId")).containsExactly("cloud-copy", "nas-copy", "restore-test", "ups");
        assertThat(set).filteredOn(c -> c.get("checkId").equals("cloud-copy")).extracting(c -> c.get("kind"))
                .containsExactly("BORG_REPOSITORY");
    }

    @Test
    void aRuleNoConfiguredCheckServesIsAConfigurationGapInThePracticeAndTheFleet() {
        Practice practice = fleet.newPractice("Gap Road Surgery " + UUID.randomUUID());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.evaluateAllDue(now);

        Map<String, Object> report = as("alice").get("/api/practices/" + practice.id + "/compliance").then().statusCode(200)
                .extract().jsonPath().getMap("");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) report.get("rules");
        Map<String, Object> restoreTest = rules.stream().filter(r -> r.get("ruleId").equals("restore-test")).findFirst().orElseThrow();
        assertThat(restoreTest).containsEntry("status", "UNKNOWN").containsEntry("configurationGap", true)
                .containsEntry("reason", "configuration gap: no check provides evidence for restore-test");
        // the group checks nas-copy: not yet reported is no data, not a gap; people's rules are never gaps
        assertThat(rules).filteredOn(r -> List.of("nas-copy", "plan-review", "contacts", "agent-heartbeat").contains(r.get("ruleId")))
                .allSatisfy(r -> assertThat(r.get("configurationGap")).isEqualTo(false));

        List<Map<String, Object>> problems = as("alice").queryParam("groupId", practice.groupId).get("/api/fleet/compliance").then()
                .statusCode(200).extract().jsonPath().getList("practices[0].problems");
        assertThat(problems).filteredOn(p -> p.get("ruleId").equals("ups")).extracting(p -> p.get("configurationGap")).containsExactly(true);

        // adding the check closes the gap at the next evaluation
        as("alice").body("{\"checkId\": \"restore-test\", \"kind\": \"RESTORE_TEST\", \"intervalSeconds\": 86400, "
                + "\"settings\": {\"sourceCheckId\": \"nas-copy\"}}").post("/api/groups/" + practice.groupId + "/checks").then().statusCode(201);
        // later than the practice's next regular evaluation, whatever the clock said when the check was added
        evidence.evaluateAllDue(now.plus(java.time.Duration.ofMinutes(2)));
        List<Map<String, Object>> after = as("alice").get("/api/practices/" + practice.id + "/compliance").then().statusCode(200)
                .extract().jsonPath().getList("rules");
        assertThat(after).filteredOn(r -> r.get("ruleId").equals("restore-test"))
                .allSatisfy(r -> assertThat(r).containsEntry("configurationGap", false).containsEntry("reason", "no data yet"));
    }

    private static CheckDefinition check(AgentConfiguration configuration, String checkId) {
        return configuration.getChecksList().stream().filter(c -> c.getCheckId().equals(checkId)).findFirst().orElseThrow();
    }

    private static void refused(io.restassured.response.Response response, String field, String message) {
        ValidatableResponse then = response.then().statusCode(400).contentType("application/problem+json");
        List<Map<String, String>> errors = then.extract().jsonPath().getList("errors");
        assertThat(errors).as(response.asString()).contains(Map.of("field", field, "message", message));
    }

    private static RequestSpecification as(String who) {
        return given().auth().oauth2(Tokens.of(who)).contentType(ContentType.JSON);
    }
}
