package io.rampart.controlplane.tenancy;

import static io.rampart.controlplane.tenancy.TenancyRequests.as;
import static io.rampart.controlplane.tenancy.TenancyRequests.auditOf;
import static io.rampart.controlplane.tenancy.TenancyRequests.decommission;
import static io.rampart.controlplane.tenancy.TenancyRequests.newGroup;
import static io.rampart.controlplane.tenancy.TenancyRequests.newPractice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;

/**
 * A provider admin creates, renames, re-zones, archives and un-archives groups over REST; each change is audited with
 * the group before and after; bad names and zones are refused under their field; a group with live practices is not
 * archived until they are moved or decommissioned, and the 409 names them.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class GroupLifecycleTest {

    @Inject
    TestFleet fleet;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
    }

    @Test
    void createsAGroupWithItsTimeZoneAndRenamesAndReZonesItEachChangeAudited() {
        String name = "Lakeside Health " + UUID.randomUUID();
        UUID group = newGroup("  " + name + " ", "Australia/Melbourne");
        as("alice").get("/api/groups").then().statusCode(200)
                .body("find { it.id == '" + group + "' }.name", equalTo(name))
                .body("find { it.id == '" + group + "' }.timeZone", equalTo("Australia/Melbourne"))
                .body("find { it.id == '" + group + "' }.archivedAt", nullValue());

        String renamed = "Lakeside & Hills Health " + UUID.randomUUID();
        as("alice").body(Map.of("name", renamed, "timeZone", "Europe/London")).put("/api/groups/{id}", group).then().statusCode(200)
                .body("name", equalTo(renamed)).body("timeZone", equalTo("Europe/London"));

        List<AuditEntry> audit = auditOf("group", group);
        assertThat(audit).extracting(e -> e.action).containsExactly("group.created", "group.changed");
        assertThat(audit.get(0).actorUsername).isEqualTo("alice");
        assertThat(audit.get(0).before).isNull();
        assertThat(audit.get(0).after).contains("\"name\": \"" + name + "\"", "Australia/Melbourne");
        assertThat(audit.get(1).before).contains(name, "Australia/Melbourne");
        assertThat(audit.get(1).after).contains(renamed, "Europe/London");
    }

    @Test
    void refusesBadNamesAndTimeZonesUnderTheirFieldAndChangesNothing() {
        String name = "Fieldcheck Group " + UUID.randomUUID();
        UUID group = newGroup(name, "UTC");

        as("alice").body(Map.of("name", "", "timeZone", "Mars/Olympus_Mons")).post("/api/groups").then().statusCode(400)
                .body("errors.find { it.field == 'name' }.message", equalTo("a name is needed"))
                .body("errors.find { it.field == 'timeZone' }.message", containsString("\"Mars/Olympus_Mons\" is not an IANA time zone"));
        // an offset is not a zone: it does not follow summer time
        as("alice").body(Map.of("name", "Offset Group " + UUID.randomUUID(), "timeZone", "+02:00")).post("/api/groups").then()
                .statusCode(400).body("errors[0].field", equalTo("timeZone"));
        as("alice").body(Map.of("name", "Nul\u0000Group", "timeZone", "UTC")).post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("name")).body("errors[0].message", containsString("control characters"));
        as("alice").body(Map.of("name", "x".repeat(201), "timeZone", "UTC")).post("/api/groups").then().statusCode(400)
                .body("errors[0].message", equalTo("at most 200 characters (this one has 201)"));
        // the same name in other letters is the same name to a person
        as("alice").body(Map.of("name", name.toUpperCase(), "timeZone", "UTC")).post("/api/groups").then().statusCode(400)
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("your provider already has a group named \"" + name.toUpperCase() + "\"; choose another name"));
        String other = "Other Group " + UUID.randomUUID();
        newGroup(other, "UTC");
        as("alice").body(Map.of("name", other, "timeZone", "UTC")).put("/api/groups/{id}", group).then().statusCode(400)
                .body("errors[0].field", equalTo("name"));

        as("alice").get("/api/groups").then().body("find { it.id == '" + group + "' }.name", equalTo(name));
        assertThat(auditOf("group", group)).extracting(e -> e.action).containsExactly("group.created");
        // another provider may use the name: names are unique within a provider
        as("olivia").body(Map.of("name", name, "timeZone", "UTC")).post("/api/groups").then().statusCode(201);
    }

    @Test
    void aGroupWithLivePracticesIsNotArchivedAndTheRefusalNamesThem() {
        UUID group = newGroup("Archive Group " + UUID.randomUUID(), "Europe/London");
        UUID first = newPractice(group, "Abbey Road Surgery");
        newPractice(group, "Beach Lane Practice");

        as("alice").post("/api/groups/{id}/archive", group).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("still has 2 live practices: \"Abbey Road Surgery\", \"Beach Lane Practice\". "
                        + "Move each to another group or decommission it, then archive the group"));

        decommission(first, "practice closed");
        as("alice").post("/api/groups/{id}/archive", group).then().statusCode(409)
                .body("detail", containsString("still has 1 live practice: \"Beach Lane Practice\""));
    }

    @Test
    void anArchivedGroupLeavesTheListsIsReadOnlyAndComesBackWhenUnarchived() {
        String name = "Archived Group " + UUID.randomUUID();
        UUID group = newGroup(name, "Europe/London");
        UUID practice = newPractice(group, "Closing Surgery");
        decommission(practice, "merged");

        as("alice").post("/api/groups/{id}/archive", group).then().statusCode(200)
                .body("archivedBy", equalTo("alice")).body("archivedAt", not(nullValue()));
        as("alice").get("/api/groups").then().body("id", not(hasItem(group.toString())));
        as("alice").queryParam("includeArchived", true).get("/api/groups").then()
                .body("find { it.id == '" + group + "' }.archivedBy", equalTo("alice"));
        as("alice").get("/api/fleet/compliance").then().statusCode(200).body("groups.id", not(hasItem(group.toString())));

        as("alice").body(Map.of("name", "New Surgery")).post("/api/groups/{id}/practices", group).then().statusCode(409)
                .body("detail", containsString("was archived on")).body("detail", containsString("un-archive it to add a practice to it"));
        as("alice").body(Map.of("name", name + " renamed", "timeZone", "UTC")).put("/api/groups/{id}", group).then().statusCode(409);
        // its name is free for a live group meanwhile; un-archiving then asks for the other to be renamed first
        UUID successor = newGroup(name, "UTC");
        as("alice").post("/api/groups/{id}/unarchive", group).then().statusCode(400).body("errors[0].field", equalTo("name"));
        as("alice").body(Map.of("name", name + " (new)", "timeZone", "UTC")).put("/api/groups/{id}", successor).then().statusCode(200);

        as("alice").post("/api/groups/{id}/unarchive", group).then().statusCode(200).body("archivedAt", nullValue());
        as("alice").get("/api/groups").then().body("id", hasItem(group.toString()));
        assertThat(auditOf("group", group)).extracting(e -> e.action).containsExactly("group.created", "group.archived", "group.unarchived");
        assertThat(auditOf("group", group).get(1).after).contains("\"archivedBy\": \"alice\"");
    }
}
