package io.rampart.controlplane.people;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * People against the real Keycloak of the demo realm: provider admins and group managers invite, list, change,
 * disable, enable, remove and re-invite people within their own reach; Keycloak sends its own set-password email
 * (to the tests' GreenMail); every change is audited; every wider grant is refused.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PeopleResourceTest {

    @Inject
    TestFleet fleet;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
    }

    static RequestSpecification as(String username) {
        return given().contentType(ContentType.JSON).auth().oauth2(Tokens.of(username));
    }

    static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@practice.example";
    }

    static Map<String, Object> invitation(String email, String role, UUID groupId, UUID practiceId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("email", email, "firstName", "Hana", "lastName", "Okafor", "role", role));
        if (groupId != null) {
            body.put("groupId", groupId.toString());
        }
        if (practiceId != null) {
            body.put("practiceId", practiceId.toString());
        }
        return body;
    }

    static String invite(String caller, String email, String role, UUID groupId, UUID practiceId) {
        return as(caller).body(invitation(email, role, groupId, practiceId)).post("/api/people").then().statusCode(201)
                .body("invitationSent", equalTo(true)).extract().path("person.id");
    }

    static String idOf(String caller, String username) {
        List<Map<String, Object>> people = as(caller).get("/api/people").then().statusCode(200).extract().path("$");
        return people.stream().filter(p -> username.equals(p.get("username"))).map(p -> (String) p.get("id")).findFirst().orElseThrow();
    }

    @Test
    void anAdminInvitesAPracticeManagerWhoGetsKeycloaksSetPasswordEmailAndIsListedWithTheirReach() throws Exception {
        String address = email("hana");
        String id = as("alice").body(invitation(address, "practice-manager", null, DemoTenancy.HILLTOP)).post("/api/people")
                .then().statusCode(201)
                .body("invitationSent", equalTo(true))
                .body("person.role", equalTo("practice-manager"))
                .body("person.practiceName", equalTo("Hilltop Medical Centre"))
                .body("person.groupId", equalTo(DemoTenancy.COASTAL.toString()))
                .body("person.invitationPending", equalTo(true))
                .extract().path("person.id");

        MimeMessage email = KeycloakEmails.awaitFirst(address);
        assertThat(KeycloakEmails.actionLink(email)).contains("/realms/rampart/login-actions/action-token?key=");
        assertThat(KeycloakEmails.text(email)).containsIgnoringCase("Update Password");

        List<Map<String, Object>> people = as("alice").get("/api/people").then().statusCode(200).extract().path("$");
        assertThat(people).anySatisfy(p -> {
            assertThat(p.get("id")).isEqualTo(id);
            assertThat(p.get("username")).isEqualTo(address.toLowerCase());
            assertThat(p.get("role")).isEqualTo("practice-manager");
            assertThat(p.get("practiceName")).isEqualTo("Hilltop Medical Centre");
            assertThat(p.get("name")).isEqualTo("Hana Okafor");
        });
        // the group's manager sees them too; another group's manager and another provider's admin do not
        assertThat(as("grace").get("/api/people").then().statusCode(200).extract().<List<String>> path("id")).contains(id);
        assertThat(as("gary").get("/api/people").then().statusCode(200).extract().<List<String>> path("id")).doesNotContain(id);
        assertThat(as("olivia").get("/api/people").then().statusCode(200).extract().<List<String>> path("id")).doesNotContain(id);

        AuditEntry audited = audit("person.invited", id);
        assertThat(audited.actorUsername).isEqualTo("alice");
        assertThat(audited.practiceId).isEqualTo(DemoTenancy.HILLTOP);
        assertThat(audited.after).contains(address.toLowerCase()).doesNotContain("action-token").doesNotContainIgnoringCase("password");
    }

    @Test
    void anAdminChangesDisablesEnablesReinvitesAndRemovesAPersonAndEachChangeIsAudited() {
        String address = email("ravi");
        String id = invite("alice", address, "provider-technician", null, null);

        as("alice").body(Map.of("role", "group-manager", "groupId", DemoTenancy.COASTAL.toString())).put("/api/people/" + id + "/access")
                .then().statusCode(200).body("role", equalTo("group-manager")).body("groupName", equalTo("Coastal Medical Group"));
        assertThat(as("grace").get("/api/people").then().statusCode(200).extract().<List<String>> path("id")).contains(id);
        assertThat(audit("person.access-changed", id).before).contains("provider-technician");

        as("alice").post("/api/people/" + id + "/disable").then().statusCode(200).body("enabled", equalTo(false));
        assertThat(audit("person.disabled", id)).isNotNull();
        as("alice").post("/api/people/" + id + "/enable").then().statusCode(200).body("enabled", equalTo(true));
        assertThat(audit("person.enabled", id)).isNotNull();

        as("alice").post("/api/people/" + id + "/invitation").then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> KeycloakEmails.to(address).size() == 2);
        assertThat(audit("person.invitation-sent", id)).isNotNull();

        as("alice").delete("/api/people/" + id).then().statusCode(204);
        assertThat(as("alice").get("/api/people").then().statusCode(200).extract().<List<String>> path("id")).doesNotContain(id);
        assertThat(audit("person.removed", id).before).contains(address.toLowerCase());
        as("alice").delete("/api/people/" + id).then().statusCode(404).body("detail", equalTo("No such person, or not one you may see"));
    }

    @Test
    void aGroupManagerInvitesAndManagesPracticeManagersOfTheirGroupOnly() {
        String id = invite("grace", email("lena"), "practice-manager", null, DemoTenancy.RIVERSIDE);
        as("grace").post("/api/people/" + id + "/disable").then().statusCode(200).body("enabled", equalTo(false));

        // a role wider than a practice manager: refused, with the rule in words
        as("grace").body(invitation(email("x"), "group-manager", DemoTenancy.COASTAL, null)).post("/api/people").then().statusCode(403)
                .body("detail", containsString("only the practice manager role"));
        as("grace").body(Map.of("role", "group-manager", "groupId", DemoTenancy.COASTAL.toString())).put("/api/people/" + id + "/access")
                .then().statusCode(403);
        // a practice of another group, or of another provider: does not exist for her
        as("grace").body(invitation(email("x"), "practice-manager", null, DemoTenancy.MOORLAND)).post("/api/people").then().statusCode(404)
                .body("detail", equalTo("No such practice, or not one you may see"));
        as("grace").body(invitation(email("x"), "practice-manager", null, DemoTenancy.BAYSIDE)).post("/api/people").then().statusCode(404);
        // a person outside her group (the technician tom) does not exist for her; another group manager (gary) neither
        as("grace").post("/api/people/" + idOf("alice", "tom") + "/disable").then().statusCode(404);
        as("grace").post("/api/people/" + idOf("alice", "gary") + "/disable").then().statusCode(404);
    }

    @Test
    void nobodyGivesMoreReachThanTheirOwnNorChangesThemselves() {
        as("alice").body(invitation(email("x"), "platform-operator", null, null)).post("/api/people").then().statusCode(403)
                .body("detail", containsString("Platform operators are not invited"));
        as("olivia").body(invitation(email("x"), "practice-manager", null, DemoTenancy.HARBOUR_STREET)).post("/api/people").then()
                .statusCode(404);
        as("olivia").body(invitation(email("x"), "group-manager", DemoTenancy.COASTAL, null)).post("/api/people").then().statusCode(404)
                .body("detail", equalTo("No such group, or not one you may see"));
        as("olivia").post("/api/people/" + idOf("alice", "pat") + "/disable").then().statusCode(404);
        as("tom").body(invitation(email("x"), "practice-manager", null, DemoTenancy.HARBOUR_STREET)).post("/api/people").then().statusCode(403);
        as("pat").body(invitation(email("x"), "practice-manager", null, DemoTenancy.HARBOUR_STREET)).post("/api/people").then().statusCode(403);
        as("pat").get("/api/people").then().statusCode(403);

        String alice = idOf("alice", "alice");
        as("alice").body(Map.of("role", "provider-admin")).put("/api/people/" + alice + "/access").then().statusCode(403)
                .body("detail", containsString("your own access"));
        as("alice").post("/api/people/" + alice + "/disable").then().statusCode(403);
        as("alice").delete("/api/people/" + alice).then().statusCode(403);
        String grace = idOf("grace", "grace");
        as("grace").body(Map.of("role", "practice-manager", "practiceId", DemoTenancy.HARBOUR_STREET.toString()))
                .put("/api/people/" + grace + "/access").then().statusCode(403);
    }

    @Test
    void badInvitationsAreRefusedFieldByFieldAndADuplicateEmailIsAConflictOnTheEmail() {
        as("alice").body(invitation(email("x"), "janitor", null, null)).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("role"));
        as("alice").body(invitation(email("x"), "practice-manager", null, null)).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("practiceId")).body("errors[0].message", equalTo("choose the practice this person manages"));
        as("alice").body(invitation(email("x"), "group-manager", null, null)).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
        as("alice").body(invitation(email("x"), "provider-technician", DemoTenancy.COASTAL, null)).post("/api/people").then().statusCode(400)
                .body("errors[0].field", equalTo("groupId"));
        as("alice").body(invitation(email("x"), "practice-manager", DemoTenancy.INLAND, DemoTenancy.HARBOUR_STREET)).post("/api/people")
                .then().statusCode(400).body("errors[0].field", equalTo("groupId"));
        as("alice").body(invitation("not-an-email", "provider-technician", null, null)).post("/api/people").then().statusCode(400);

        String address = email("dup");
        invite("alice", address, "provider-technician", null, null);
        as("alice").body(invitation(address.toUpperCase(), "provider-technician", null, null)).post("/api/people").then().statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("email")).body("detail", equalTo("Hana Okafor (" + address + ") is already one of your people, "
                        + "as provider-technician, invitation not yet taken up; find them in the list of people to change their role or reach"
                        + " or send the invitation again. Nothing was created"));
        // pat's own address, taken by a demo user
        as("alice").body(invitation("pat@example.org", "provider-technician", null, null)).post("/api/people").then().statusCode(409)
                .body("errors[0].field", equalTo("email")).body("detail", containsString("(pat@example.org) is already one of your people"));
    }

    @Test
    void anEmailTakenOutsideTheCallersReachIsRefusedInTheSameNeutralWordsWhoeverHasIt() {
        String neutral = "This email address cannot be invited. If the person already uses Rampart with it, invite them with another "
                + "address, or ask whoever runs this Rampart installation";
        // another provider's admin, the platform operator, and (for a group manager) a person of another group of her provider
        for (String[] attempt : new String[][] { { "alice", "olivia@example.org" }, { "alice", "OSCAR@example.org" },
                { "grace", "gary@example.org" }, { "grace", "tom@example.org" } }) {
            var response = as(attempt[0]).body(invitation(attempt[1], "practice-manager", null, DemoTenancy.HARBOUR_STREET))
                    .post("/api/people").then().statusCode(409).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("email"))
                    .body("detail", equalTo(neutral)).body("errors[0].message", equalTo(neutral)).extract().asString();
            String who = attempt[1].substring(0, attempt[1].indexOf('@')).toLowerCase();
            assertThat(response).as(attempt[0] + " inviting " + attempt[1]).doesNotContainIgnoringCase(who + " ")
                    .doesNotContain("provider-admin", "platform-operator", "group-manager", "00000000-0000-4000-8000");
        }
        // within her reach, the group manager is told who it is
        as("grace").body(invitation("paula@example.org", "practice-manager", null, DemoTenancy.HARBOUR_STREET)).post("/api/people").then()
                .statusCode(409).body("detail", containsString("(paula@example.org) is already one of your people, as practice-manager"));
        // the operator, above every tenancy, is told whose it is
        String provider = as("oscar").body(Map.of("name", "Clash IT " + UUID.randomUUID().toString().substring(0, 6)))
                .post("/api/operator/providers").then().statusCode(201).extract().path("id");
        as("oscar").body(Map.of("email", "olivia@example.org", "firstName", "Olivia", "lastName", "Again"))
                .post("/api/operator/providers/" + provider + "/admins").then().statusCode(409).body("errors[0].field", equalTo("email"))
                .body("detail", containsString("(olivia@example.org) already has an account (provider-admin of provider "
                        + "00000000-0000-4000-8000-000000000002)"));
    }

    @Test
    void theOperatorCreatesAndRenamesProvidersAndInvitesEachOnesFirstAdminButSeesNoTenantData() {
        String name = "Eastern IT " + UUID.randomUUID().toString().substring(0, 6);
        String provider = as("oscar").body(Map.of("name", name)).post("/api/operator/providers").then().statusCode(201)
                .body("name", equalTo(name)).extract().path("id");
        as("oscar").body(Map.of("name", name.toLowerCase())).post("/api/operator/providers").then().statusCode(409)
                .body("errors[0].field", equalTo("name"));
        as("oscar").body(Map.of("name", name + " Ltd")).put("/api/operator/providers/" + provider).then().statusCode(200)
                .body("name", equalTo(name + " Ltd"));
        assertThat(as("oscar").get("/api/operator/providers").then().statusCode(200).extract().<List<String>> path("name"))
                .contains(name + " Ltd", "Northwind IT Services");
        as("oscar").body(Map.of("name", "x")).put("/api/operator/providers/" + UUID.randomUUID()).then().statusCode(404);

        String address = email("erin");
        String admin = as("oscar").body(Map.of("email", address, "firstName", "Erin", "lastName", "Walsh"))
                .post("/api/operator/providers/" + provider + "/admins").then().statusCode(201)
                .body("person.role", equalTo("provider-admin")).body("person.providerId", equalTo(provider))
                .body("invitationSent", equalTo(true)).extract().path("person.id");
        assertThat(KeycloakEmails.actionLink(KeycloakEmails.awaitFirst(address))).contains("action-token");
        assertThat(as("oscar").get("/api/operator/providers/" + provider + "/admins").then().statusCode(200).extract().<List<String>> path("id"))
                .containsExactly(admin);
        assertThat(audit("provider.created", provider).actorRole).isEqualTo("platform-operator");
        assertThat(audit("person.invited", admin).providerId.toString()).isEqualTo(provider);

        // above the tenancy: no fleet, no people of a provider; and nobody else runs providers
        as("oscar").get("/api/fleet/compliance").then().statusCode(403);
        as("oscar").get("/api/people").then().statusCode(403);
        as("oscar").get("/api/me").then().statusCode(200).body("role", equalTo("platform-operator")).body("providerId", equalTo(null));
        as("alice").get("/api/operator/providers").then().statusCode(403);
        as("alice").body(Map.of("name", "Mine")).post("/api/operator/providers").then().statusCode(403);
    }

    private static AuditEntry audit(String action, String targetId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry> find("action = ?1 and targetId = ?2", action, targetId)
                .firstResultOptional().orElseThrow(() -> new AssertionError("no audit entry " + action + " for " + targetId)));
    }
}
