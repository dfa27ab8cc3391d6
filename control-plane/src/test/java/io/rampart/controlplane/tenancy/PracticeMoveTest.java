package io.rampart.controlplane.tenancy;

import static io.rampart.controlplane.tenancy.TenancyRequests.as;
import static io.rampart.controlplane.tenancy.TenancyRequests.auditOf;
import static io.rampart.controlplane.tenancy.TenancyRequests.newGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.alerts.Alert;
import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.policy.AgentConfigurationChanged;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;

/**
 * Moving a practice to another group of its provider re-scopes what describes the practice now (its agents, their
 * presence, its checks' states, its compliance, open alerts, contacts, current exceptions, plan reviews) and leaves the
 * history (events, compliance changes, audit) in the group it happened in; its agents get the new group's checks.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PracticeMoveTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    EntityManager entityManager;
    @Inject
    HeardConfigurationChanges configurationChanges;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
    }

    @Test
    void movesWhatDescribesThePracticeNowKeepsHistoryWhereItHappenedAndItsAgentsGetTheNewGroupsChecks() {
        Practice practice = fleet.newPractice("Moving Street Surgery " + UUID.randomUUID());
        UUID from = practice.groupId;
        UUID to = newGroup("Destination Group " + UUID.randomUUID(), "Europe/London");
        fleet.addCheck(to, "archive-copy", "BACKUP_FOLDER", "{\"maxAge\": \"93600s\", \"minSizeBytes\": \"1\"}");
        try (EnrolledAgent agent = EnrolledAgent.enrol(fleet, fleet.token(practice))) {
            assertThat(agent.checkIds()).containsExactly("nas-copy");
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(1)));
            evidence.evaluateAllDue(t0);
            as("alice").body(Map.of("name", "Dr Move", "email", "move-" + UUID.randomUUID() + "@example.com", "role", "PRACTICE_MANAGER"))
                    .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);
            as("alice").body(Map.of("ruleId", "ups", "reason", "no UPS yet", "approvedBy", "Dr Move", "until",
                    Instant.now().plus(Duration.ofDays(30)).toString())).post("/api/practices/{id}/exceptions", practice.id).then().statusCode(201);
            as("alice").body(Map.of("note", "procedure read through")).post("/api/practices/{id}/plan-reviews", practice.id).then().statusCode(201);
            UUID alert = openAlert(practice);
            int changesBefore = configurationChanges.heard().size();

            as("alice").body(Map.of("groupId", to.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(200)
                    .body("groupId", equalTo(to.toString()));

            for (String table : List.of("agent", "agent_presence", "check_state", "practice_compliance", "rule_state", "contact",
                    "policy_exception", "plan_review")) {
                assertThat(groupsIn(table, practice.id)).as(table + " describes the practice now").containsOnly(to);
            }
            assertThat(QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> findById(alert).groupId)).isEqualTo(to);
            assertThat(groupsIn("event_history", practice.id)).as("events keep the group they were sent under").containsOnly(from);
            assertThat(groupsIn("compliance_history", practice.id)).as("compliance changes keep their group").containsOnly(from);
            assertThat(dueAt(practice.id)).as("evaluated again at once under the new group's policy").isBeforeOrEqualTo(Instant.now());

            assertThat(agent.checkIds()).containsExactly("archive-copy");
            assertThat(configurationChanges.heard().subList(changesBefore, configurationChanges.heard().size()))
                    .contains(new AgentConfigurationChanged(practice.providerId, to, practice.id));

            // an event the agent sent before the move, delivered after it, lands in the new group's projections
            evidence.reportNasCopy(practice, Instant.now(), Instant.now().minus(Duration.ofHours(1)));
            assertThat(groupsIn("agent_presence", practice.id)).containsOnly(to);
            assertThat(groupsIn("check_state", practice.id)).containsOnly(to);
        }
        List<AuditEntry> audit = auditOf("practice", practice.id);
        assertThat(audit).extracting(e -> e.action).containsExactly("practice.moved");
        assertThat(audit.get(0).before).contains("\"groupId\": \"" + from + "\"");
        assertThat(audit.get(0).after).contains("\"groupId\": \"" + to + "\"");
        assertThat(audit.get(0).groupId).isEqualTo(to);
    }

    @Test
    void itsPracticeManagersMoveWithItAndDecommissionedPracticesOrArchivedGroupsAreNoOnesReach() {
        Practice practice = fleet.newPractice("Following Street Surgery " + UUID.randomUUID());
        UUID to = newGroup("Following Group " + UUID.randomUUID(), "Europe/London");
        String manager = as("alice").body(Map.of("email", "follow-" + UUID.randomUUID() + "@practice.example", "firstName", "Fola",
                "lastName", "Manager", "role", "practice-manager", "practiceId", practice.id.toString())).post("/api/people").then()
                .statusCode(201).extract().path("person.id");

        as("alice").body(Map.of("groupId", to.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(200);

        // Keycloak's group_id follows after the commit: the new group's manager lists them, the old group's does not
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as("alice").get("/api/people").then()
                .body("find { it.id == '" + manager + "' }.groupId", equalTo(to.toString())));

        TenancyRequests.decommission(practice.id, "closed");
        as("alice").body(Map.of("email", "late-" + UUID.randomUUID() + "@practice.example", "firstName", "Late", "lastName", "Invite",
                "role", "practice-manager", "practiceId", practice.id.toString())).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("practiceId"));
        as("alice").body(Map.of("checkId", "late-ups", "kind", "UPS", "intervalSeconds", 300))
                .put("/api/practices/{id}/checks/late-ups", practice.id).then().statusCode(409);
        as("alice").body(Map.of("settings", Map.of("path", "/mnt/late"))).put("/api/practices/{id}/sources/nas-copy", practice.id).then()
                .statusCode(409);
        UUID archived = newGroup("Archived Reach " + UUID.randomUUID(), "UTC");
        as("alice").post("/api/groups/{id}/archive", archived).then().statusCode(200);
        as("alice").body(Map.of("email", "gm-" + UUID.randomUUID() + "@practice.example", "firstName", "Gina", "lastName", "Manager",
                "role", "group-manager", "groupId", archived.toString())).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
        as("alice").body(Map.of("checkId", "late-ups", "kind", "UPS", "intervalSeconds", 300)).post("/api/groups/{id}/checks", archived)
                .then().statusCode(409);
    }

    @Test
    void refusesAMoveThatCannotBeMadeAndSaysWhy() {
        Practice practice = fleet.newPractice("Staying Put Surgery " + UUID.randomUUID());
        UUID other = newGroup("Busy Group " + UUID.randomUUID(), "UTC");
        TenancyRequests.newPractice(other, practice.name);

        as("alice").body(Map.of("groupId", practice.groupId.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(400)
                .body("errors[0].field", equalTo("groupId")).body("errors[0].message", equalTo("the practice is in that group already"));
        as("alice").body(Map.of("groupId", "")).post("/api/practices/{id}/move", practice.id).then().statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
        as("alice").body(Map.of("groupId", other.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(400)
                .body("errors[0].field", equalTo("name")).body("errors[0].message", containsString("already has a practice named"));
        // another provider's group is not there for alice
        as("alice").body(Map.of("groupId", DemoTenancy.SOUTHERN_GROUP.toString())).post("/api/practices/{id}/move", practice.id).then()
                .statusCode(404);
        UUID archived = newGroup("Archived Destination " + UUID.randomUUID(), "UTC");
        as("alice").post("/api/groups/{id}/archive", archived).then().statusCode(200);
        as("alice").body(Map.of("groupId", archived.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(409)
                .body("detail", containsString("un-archive it to move a practice into it"));

        assertThat(groupsIn("practice", practice.id)).containsOnly(practice.groupId);
        assertThat(auditOf("practice", practice.id)).isEmpty();
    }

    @Test
    void refusesAMoveThatWouldLeaveThePracticesOwnRestoreTestWithoutItsSourceNamingBoth() {
        Practice practice = fleet.newPractice("Restoring Row Surgery " + UUID.randomUUID());
        String groupName = "Sourceless Group " + UUID.randomUUID();
        UUID to = newGroup(groupName, "UTC");
        String offsite = "offsite-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice").body(Map.of("checkId", offsite, "kind", "RESTIC_REPOSITORY", "intervalSeconds", 3600))
                .post("/api/groups/{id}/checks", practice.groupId).then().statusCode(201);
        as("alice").body(Map.of("kind", "RESTORE_TEST", "intervalSeconds", 86400, "settings", Map.of("sourceCheckId", offsite)))
                .put("/api/practices/{id}/checks/restore-" + offsite, practice.id).then().statusCode(200);
        // and no NAS copy here: a "not here" to the old group's check, which the new group does not have
        as("alice").delete("/api/practices/{id}/checks/nas-copy", practice.id).then().statusCode(200);

        as("alice").body(Map.of("groupId", to.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("The practice \"" + practice.name + "\" was not moved to the group \"" + groupName + "\": its restore "
                        + "test \"restore-" + offsite + "\" restores \"" + offsite + "\", which the group \"" + groupName + "\" does not have "
                        + "and the practice does not add itself; give the restore test another source, or add \"" + offsite
                        + "\" to the practice or to that group. Then move it again."));
        assertThat(groupsIn("practice", practice.id)).as("nothing moved").containsOnly(practice.groupId);
        assertThat(groupsIn("practice_compliance", practice.id)).doesNotContain(to);
        assertThat(auditOf("practice", practice.id)).isEmpty();
        assertThat(notHereRows(practice.id)).as("kept when the move is refused").containsExactly("nas-copy");

        // a source of a kind that cannot be restored is no source either
        as("alice").body(Map.of("checkId", offsite, "kind", "UPS", "intervalSeconds", 300, "settings", Map.of()))
                .post("/api/groups/{id}/checks", to).then().statusCode(201);
        as("alice").body(Map.of("groupId", to.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(409)
                .body("detail", containsString("restores \"" + offsite + "\", which at this practice in the group \"" + groupName
                        + "\" is a UPS check and cannot be restored"));

        // once the practice runs the source itself, it moves, and its agents get the restore test with its source
        as("alice").body(Map.of("kind", "BORG_REPOSITORY", "intervalSeconds", 3600)).put("/api/practices/{id}/checks/" + offsite, practice.id)
                .then().statusCode(200);
        as("alice").body(Map.of("groupId", to.toString())).post("/api/practices/{id}/move", practice.id).then().statusCode(200);
        assertThat(groupsIn("practice", practice.id)).containsOnly(to);

        // its "not here" to the old group's nas-copy went with the move, audited, so a nas-copy the new group adds runs there
        assertThat(notHereRows(practice.id)).isEmpty();
        List<AuditEntry> dropped = QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> list(
                "action = 'practice-check.not-here-dropped' and targetId = ?1", practice.id + "/nas-copy"));
        assertThat(dropped).singleElement().satisfies(e -> {
            assertThat(e.actorUsername).isEqualTo("alice");
            assertThat(e.groupId).isEqualTo(to);
            assertThat(e.after).contains("the practice moved to the group \\\"" + groupName + "\\\", which has no check of that id");
        });
    }

    @SuppressWarnings("unchecked")
    private List<String> notHereRows(UUID practiceId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select check_id from practice_check where practice_id = ?1 and removed", String.class).setParameter(1, practiceId)
                .getResultList());
    }

    @Test
    void renamesAPracticeRefusingANameItsGroupAlreadyHas() {
        Practice practice = fleet.newPractice("Old Name Surgery " + UUID.randomUUID());
        Practice sibling = fleet.newPracticeIn(practice.groupId, "Sibling Surgery " + UUID.randomUUID());
        as("alice").body(Map.of("name", sibling.name.toLowerCase())).put("/api/practices/{id}/name", practice.id).then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        as("alice").body(Map.of("name", "Line\nBreak")).put("/api/practices/{id}/name", practice.id).then().statusCode(400)
                .body("errors[0].message", containsString("control characters"));
        String renamed = "New Name Surgery " + UUID.randomUUID();
        as("alice").body(Map.of("name", renamed)).put("/api/practices/{id}/name", practice.id).then().statusCode(200)
                .body("name", equalTo(renamed));
        as("alice").get("/api/practices/{id}", practice.id).then().body("name", equalTo(renamed));
        List<AuditEntry> audit = auditOf("practice", practice.id);
        assertThat(audit).extracting(e -> e.action).containsExactly("practice.renamed");
        assertThat(audit.get(0).before).contains(practice.name);
        assertThat(audit.get(0).after).contains(renamed);
    }

    private UUID openAlert(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Alert alert = new Alert();
            alert.id = UUID.randomUUID();
            alert.providerId = practice.providerId;
            alert.groupId = practice.groupId;
            alert.practiceId = practice.id;
            alert.ruleId = "move-" + alert.id;
            alert.status = Alert.Status.OPEN;
            alert.reason = "moving";
            alert.openedAt = Instant.now();
            alert.persist();
            return alert.id;
        });
    }

    @SuppressWarnings("unchecked")
    private List<UUID> groupsIn(String table, UUID practiceId) {
        String column = table.equals("practice") ? "id" : "practice_id";
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select distinct group_id from " + table + " where " + column + " = ?1", UUID.class).setParameter(1, practiceId).getResultList());
    }

    private Instant dueAt(UUID practiceId) {
        return QuarkusTransaction.requiringNew().call(() -> (Instant) entityManager.createNativeQuery(
                "select next_due_at from practice_compliance where practice_id = ?1", Instant.class).setParameter(1, practiceId).getSingleResult());
    }
}
