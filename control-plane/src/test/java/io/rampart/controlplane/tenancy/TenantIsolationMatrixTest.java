package io.rampart.controlplane.tenancy;

import static io.rampart.controlplane.tenancy.MatrixTargets.contact;
import static io.rampart.controlplane.tenancy.MatrixTargets.harbourManager;
import static io.rampart.controlplane.tenancy.MatrixTargets.laterHarbourWindow;
import static io.rampart.controlplane.tenancy.MatrixTargets.matrixCheck;
import static io.rampart.controlplane.tenancy.MatrixTargets.newActiveCoastalWindow;
import static io.rampart.controlplane.tenancy.MatrixTargets.newAdmin;
import static io.rampart.controlplane.tenancy.MatrixTargets.newArchivedNorthwindGroup;
import static io.rampart.controlplane.tenancy.MatrixTargets.newCoastalCheck;
import static io.rampart.controlplane.tenancy.MatrixTargets.newCoastalPractice;
import static io.rampart.controlplane.tenancy.MatrixTargets.newContact;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourAlert;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourCheck;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourException;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourJob;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourManager;
import static io.rampart.controlplane.tenancy.MatrixTargets.newHarbourPingPath;
import static io.rampart.controlplane.tenancy.MatrixTargets.newLaterHarbourWindow;
import static io.rampart.controlplane.tenancy.MatrixTargets.newNorthwindGroup;
import static io.rampart.controlplane.tenancy.MatrixTargets.newNorthwindTemplate;
import static io.rampart.controlplane.tenancy.MatrixTargets.newNorthwindWebhook;
import static io.rampart.controlplane.tenancy.MatrixTargets.newPingedHarbourJob;
import static io.rampart.controlplane.tenancy.MatrixTargets.newProvider;
import static io.rampart.controlplane.tenancy.MatrixTargets.policyChange;
import static io.rampart.controlplane.tenancy.MatrixTargets.policyException;
import static io.rampart.controlplane.tenancy.MatrixTargets.referencePolicy;
import static io.rampart.controlplane.tenancy.MatrixTargets.template;
import static io.rampart.controlplane.tenancy.MatrixTargets.webhook;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;

/**
 * Every REST endpoint, called by every kind of person from inside and outside the tenancy of
 * its target, with real tokens from a real Keycloak: the status each gets, and that no data of
 * a tenancy leaks to a caller outside it. An endpoint the OpenAPI document lists but this
 * matrix does not makes the test fail.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class TenantIsolationMatrixTest {

    /** One endpoint: how to call it (on a target in Northwind / Coastal / Harbour Street) and who gets what. */
    record Endpoint(String method, String path, Function<MatrixPerson, Response> call, Map<MatrixPerson, Integer> expected) {
    }

    @Inject
    TestFleet fleet;

    private static UUID harbourAgent;
    private static String northwindTemplate;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
        if (harbourAgent == null) {
            harbourAgent = enrolAgentIn(DemoTenancy.HARBOUR_STREET);
        }
        if (northwindTemplate == null) {
            northwindTemplate = newNorthwindTemplate();
        }
    }

    List<Endpoint> endpoints() {
        String harbour = DemoTenancy.HARBOUR_STREET.toString();
        Map<MatrixPerson, Integer> everyoneSignedIn = statuses(200, 200, 200, 200, 200, 200, 200, 401);
        return List.of(
                new Endpoint("GET", "/api/practices/{practiceId}", who -> who.request().get("/api/practices/" + harbour),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("GET", "/api/groups", who -> who.request().get("/api/groups"), everyoneSignedIn),
                new Endpoint("POST", "/api/groups/{groupId}/practices",
                        who -> who.request().body("{\"name\": \"Matrix practice " + who + " " + UUID.randomUUID() + "\"}")
                                .post("/api/groups/" + DemoTenancy.COASTAL + "/practices"),
                        statuses(201, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/enrolment-tokens",
                        who -> who.request().body("{}").post("/api/practices/" + harbour + "/enrolment-tokens"),
                        statuses(201, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/agents/{agentId}/revoke",
                        who -> who.request().post("/api/agents/" + harbourAgent + "/revoke"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/audit", who -> who.request().get("/api/audit"),
                        statuses(200, 403, 403, 403, 200, 403, 403, 401)),
                new Endpoint("GET", "/api/me", who -> who.request().get("/api/me"), operator(everyoneSignedIn, 200)),
                new Endpoint("GET", "/api/auth-config", who -> who.request().get("/api/auth-config"),
                        operator(statuses(200, 200, 200, 200, 200, 200, 200, 200), 200)),
                new Endpoint("GET", "/api/practices/{practiceId}/contacts", who -> who.request().get("/api/practices/" + harbour + "/contacts"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/contacts",
                        who -> who.request().body(contact()).post("/api/practices/" + harbour + "/contacts"),
                        statuses(201, 201, 201, 403, 404, 404, 403, 401)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/contacts/{contactId}",
                        who -> who.request().delete("/api/practices/" + harbour + "/contacts/" + newContact("/api/practices/" + harbour)),
                        statuses(204, 204, 204, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/contacts", who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/contacts"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/groups/{groupId}/contacts",
                        who -> who.request().body(contact()).post("/api/groups/" + DemoTenancy.COASTAL + "/contacts"),
                        statuses(201, 201, 201, 403, 404, 404, 403, 401)),
                new Endpoint("DELETE", "/api/groups/{groupId}/contacts/{contactId}",
                        who -> who.request().delete("/api/groups/" + DemoTenancy.COASTAL + "/contacts/"
                                + newContact("/api/groups/" + DemoTenancy.COASTAL)),
                        statuses(204, 204, 204, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/webhooks", who -> who.request().get("/api/webhooks"),
                        statuses(200, 403, 403, 403, 200, 403, 403, 401)),
                new Endpoint("POST", "/api/webhooks", who -> who.request().body(webhook()).post("/api/webhooks"),
                        statuses(201, 403, 403, 403, 201, 403, 403, 401)),
                new Endpoint("DELETE", "/api/webhooks/{webhookId}", who -> who.request().delete("/api/webhooks/" + newNorthwindWebhook()),
                        statuses(204, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/notification-settings", who -> who.request().get("/api/notification-settings"),
                        statuses(200, 200, 403, 403, 200, 403, 403, 401)),
                new Endpoint("PUT", "/api/notification-settings",
                        who -> who.request().body("{\"onCallEmail\": \"oncall@northwind.example\", \"digestEmail\": \"servicedesk@northwind.example\", "
                                + "\"timeZone\": \"Europe/London\"}").put("/api/notification-settings"),
                        statuses(200, 403, 403, 403, 200, 403, 403, 401)),
                new Endpoint("GET", "/api/notification-settings/digest", who -> who.request().get("/api/notification-settings/digest"),
                        statuses(200, 200, 403, 403, 200, 403, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/notification-settings",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/notification-settings"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("PUT", "/api/groups/{groupId}/notification-settings",
                        who -> who.request().body("{\"timeZone\": \"Europe/London\", \"quietHours\": {\"from\": \"20:00\", \"to\": \"07:00\"}, "
                                + "\"digestTime\": \"07:30\"}").put("/api/groups/" + DemoTenancy.COASTAL + "/notification-settings"),
                        statuses(200, 403, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/notification-settings/digest",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/notification-settings/digest"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/fleet/compliance", who -> who.request().get("/api/fleet/compliance"), everyoneSignedIn),
                new Endpoint("GET", "/api/alerts", who -> who.request().get("/api/alerts"), everyoneSignedIn),
                new Endpoint("POST", "/api/alerts/{alertId}/acknowledge",
                        who -> who.request().body("{\"note\": \"matrix\"}").post("/api/alerts/" + newHarbourAlert() + "/acknowledge"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/compliance", who -> who.request().get("/api/practices/" + harbour + "/compliance"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/compliance/history",
                        who -> who.request().get("/api/practices/" + harbour + "/compliance/history"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/compliance",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/compliance"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/compliance/history",
                        who -> who.request().queryParam("rule", "usb-rotation").get("/api/groups/" + DemoTenancy.COASTAL + "/compliance/history"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/compliance/report",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/compliance/report"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/compliance/report.csv",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/compliance/report.csv"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/compliance/report.pdf",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/compliance/report.pdf"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/policy", who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/policy"),
                        statuses(200, 200, 200, 200, 404, 404, 200, 401)),
                new Endpoint("PUT", "/api/groups/{groupId}/policy",
                        who -> who.request().body(policyChange()).put("/api/groups/" + DemoTenancy.COASTAL + "/policy"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/policy/versions",
                        who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/policy/versions"),
                        statuses(200, 200, 200, 200, 404, 404, 200, 401)),
                new Endpoint("POST", "/api/policies/validate", who -> who.request().body(referencePolicy()).post("/api/policies/validate"),
                        everyoneSignedIn),
                new Endpoint("GET", "/api/policy-templates", who -> who.request().get("/api/policy-templates"),
                        statuses(200, 403, 403, 403, 200, 403, 403, 401)),
                new Endpoint("POST", "/api/policy-templates",
                        who -> who.request().body(template("Matrix template " + UUID.randomUUID())).post("/api/policy-templates"),
                        statuses(201, 403, 403, 403, 201, 403, 403, 401)),
                new Endpoint("GET", "/api/policy-templates/{templateId}", who -> who.request().get("/api/policy-templates/" + northwindTemplate),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("PUT", "/api/policy-templates/{templateId}",
                        who -> who.request().body(template("Matrix template of Northwind")).put("/api/policy-templates/" + northwindTemplate),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("DELETE", "/api/policy-templates/{templateId}",
                        who -> who.request().delete("/api/policy-templates/" + newNorthwindTemplate()),
                        statuses(204, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/exceptions",
                        who -> who.request().get("/api/practices/" + harbour + "/exceptions"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/exceptions",
                        who -> who.request().body(policyException()).post("/api/practices/" + harbour + "/exceptions"),
                        statuses(201, 403, 201, 403, 404, 404, 403, 401)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/exceptions/{exceptionId}",
                        who -> who.request().delete("/api/practices/" + harbour + "/exceptions/" + newHarbourException()),
                        statuses(200, 403, 200, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/plan-reviews",
                        who -> who.request().get("/api/practices/" + harbour + "/plan-reviews"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/plan-reviews",
                        who -> who.request().body("{\"note\": \"matrix review\"}").post("/api/practices/" + harbour + "/plan-reviews"),
                        statuses(201, 403, 201, 403, 404, 404, 403, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/sources",
                        who -> who.request().get("/api/practices/" + harbour + "/sources"),
                        statuses(200, 200, 403, 403, 404, 403, 403, 401)),
                new Endpoint("PUT", "/api/practices/{practiceId}/sources/{checkId}",
                        who -> who.request().body("{\"settings\": {\"path\": \"/mnt/matrix\"}}")
                                .put("/api/practices/" + harbour + "/sources/matrix-check"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // a well-formed body sealed for no agent of the practice: refused (400) for the one who may seal, after the scope
                new Endpoint("PUT", "/api/practices/{practiceId}/sources/{checkId}/secrets/{name}",
                        who -> who.request().body("{\"sealed\": [{\"agentId\": \"" + UUID.randomUUID() + "\", \"keyId\": \""
                                + "0".repeat(64) + "\", \"encapsulatedKey\": \"AA==\", \"ciphertext\": \"AA==\"}]}")
                                .put("/api/practices/" + harbour + "/sources/matrix-check/secrets/password"),
                        statuses(400, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/sources/{checkId}/secrets/{name}",
                        who -> who.request().delete("/api/practices/" + harbour + "/sources/matrix-check/secrets/password"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // people: provider admins in their provider, group managers for their group's practice managers
                new Endpoint("GET", "/api/people", who -> who.request().get("/api/people"),
                        statuses(200, 403, 200, 403, 200, 200, 403, 401)),
                new Endpoint("POST", "/api/people", who -> who.request().body(harbourManager()).post("/api/people"),
                        statuses(201, 403, 201, 403, 404, 404, 403, 401)),
                new Endpoint("PUT", "/api/people/{personId}/access",
                        who -> who.request().body("{\"role\": \"practice-manager\", \"practiceId\": \"" + DemoTenancy.RIVERSIDE + "\"}")
                                .put("/api/people/" + newHarbourManager() + "/access"),
                        statuses(200, 403, 200, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/people/{personId}/disable",
                        who -> who.request().post("/api/people/" + newHarbourManager() + "/disable"),
                        statuses(200, 403, 200, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/people/{personId}/enable",
                        who -> who.request().post("/api/people/" + newHarbourManager() + "/enable"),
                        statuses(200, 403, 200, 403, 404, 404, 403, 401)),
                new Endpoint("DELETE", "/api/people/{personId}",
                        who -> who.request().delete("/api/people/" + newHarbourManager()),
                        statuses(204, 403, 204, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/people/{personId}/invitation",
                        who -> who.request().post("/api/people/" + newHarbourManager() + "/invitation"),
                        statuses(202, 403, 202, 403, 404, 404, 403, 401)),
                // the platform operator's providers: nobody else
                new Endpoint("GET", "/api/operator/providers", who -> who.request().get("/api/operator/providers"), operatorOnly(200)),
                new Endpoint("POST", "/api/operator/providers",
                        who -> who.request().body("{\"name\": \"Matrix provider " + UUID.randomUUID() + "\"}").post("/api/operator/providers"),
                        operatorOnly(201)),
                new Endpoint("PUT", "/api/operator/providers/{providerId}",
                        who -> who.request().body("{\"name\": \"Matrix provider " + UUID.randomUUID() + "\"}")
                                .put("/api/operator/providers/" + newProvider()),
                        operatorOnly(200)),
                new Endpoint("GET", "/api/operator/providers/{providerId}/admins",
                        who -> who.request().get("/api/operator/providers/" + DemoTenancy.NORTHWIND + "/admins"), operatorOnly(200)),
                new Endpoint("POST", "/api/operator/providers/{providerId}/admins",
                        who -> who.request().body(newAdmin()).post("/api/operator/providers/" + newProvider() + "/admins"), operatorOnly(201)),
                new Endpoint("POST", "/api/operator/providers/{providerId}/admins/{personId}/invitation",
                        who -> {
                            String provider = newProvider();
                            String admin = MatrixPerson.OSCAR.request().body(newAdmin()).post("/api/operator/providers/" + provider + "/admins")
                                    .then().statusCode(201).extract().path("person.id");
                            return who.request().post("/api/operator/providers/" + provider + "/admins/" + admin + "/invitation");
                        },
                        operatorOnly(202)),
                // check sets (issue 13): provider admins change, technicians and managers read
                new Endpoint("GET", "/api/check-templates", who -> who.request().get("/api/check-templates"),
                        statuses(200, 200, 200, 200, 200, 200, 200, 401)),
                new Endpoint("GET", "/api/groups/{groupId}/checks", who -> who.request().get("/api/groups/" + DemoTenancy.COASTAL + "/checks"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/groups/{groupId}/checks",
                        who -> who.request().body(matrixCheck("matrix-" + UUID.randomUUID())).post("/api/groups/" + DemoTenancy.COASTAL + "/checks"),
                        statuses(201, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("PUT", "/api/groups/{groupId}/checks/{checkId}",
                        who -> who.request().body(matrixCheck(null)).put("/api/groups/" + DemoTenancy.COASTAL + "/checks/" + newCoastalCheck()),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("DELETE", "/api/groups/{groupId}/checks/{checkId}",
                        who -> who.request().delete("/api/groups/" + DemoTenancy.COASTAL + "/checks/" + newCoastalCheck()),
                        statuses(204, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/groups/{groupId}/checks/from-template",
                        // a template whose ids Coastal already has: the admin inside gets the 409 that changes nothing
                        who -> who.request().body("{\"template\": \"onsite-copies\"}")
                                .post("/api/groups/" + DemoTenancy.COASTAL + "/checks/from-template"),
                        statuses(409, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/practices/{practiceId}/checks", who -> who.request().get("/api/practices/" + harbour + "/checks"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("PUT", "/api/practices/{practiceId}/checks/{checkId}",
                        who -> who.request().body(matrixCheck(null)).put("/api/practices/" + harbour + "/checks/matrix-" + UUID.randomUUID()),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/checks/{checkId}",
                        who -> who.request().delete("/api/practices/" + harbour + "/checks/" + newHarbourCheck()),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/checks/{checkId}/override",
                        who -> who.request().delete("/api/practices/" + harbour + "/checks/" + newHarbourCheck() + "/override"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // a reported job's ping URL (issue 14) is a secret: provider admins only, in their own provider
                new Endpoint("GET", "/api/practices/{practiceId}/checks/{checkId}/ping",
                        who -> who.request().get("/api/practices/" + harbour + "/checks/" + newHarbourJob() + "/ping"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/checks/{checkId}/ping",
                        who -> who.request().post("/api/practices/" + harbour + "/checks/" + newHarbourJob() + "/ping"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // the ping API is public like healthchecks.io's (the id is the secret): a token neither helps nor hurts, and an
                // id nobody was given is 404 for everyone, the anonymous caller included (not 401: the request got through)
                new Endpoint("GET", "/ping/{id}", who -> who.request().get("/ping/" + UUID.randomUUID()),
                        operator(statuses(404, 404, 404, 404, 404, 404, 404, 404), 404)),
                new Endpoint("POST", "/ping/{id}", who -> who.request().body("log").post("/ping/" + UUID.randomUUID()),
                        operator(statuses(404, 404, 404, 404, 404, 404, 404, 404), 404)),
                new Endpoint("GET", "/ping/{id}/{action}", who -> who.request().get("/ping/" + UUID.randomUUID() + "/start"),
                        operator(statuses(404, 404, 404, 404, 404, 404, 404, 404), 404)),
                new Endpoint("POST", "/ping/{id}/{action}", who -> who.request().body("log").post("/ping/" + UUID.randomUUID() + "/fail"),
                        operator(statuses(404, 404, 404, 404, 404, 404, 404, 404), 404)),
                // a live id of Northwind's Harbour Street: whoever holds it may ping, whatever token (of any provider) comes along
                new Endpoint("POST", "/ping/{id}/{action}", who -> who.request().body("log").post(newHarbourPingPath() + "/log"),
                        operator(statuses(200, 200, 200, 200, 200, 200, 200, 200), 200)),
                new Endpoint("DELETE", "/api/practices/{practiceId}/checks/{checkId}/ping",
                        who -> who.request().delete("/api/practices/" + harbour + "/checks/" + newPingedHarbourJob() + "/ping"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // the tenancy lifecycle: only a provider admin changes it, and only in their own provider (another's is not there)
                new Endpoint("POST", "/api/groups",
                        who -> who.request().body("{\"name\": \"Matrix group " + UUID.randomUUID() + "\", \"timeZone\": \"Europe/London\"}")
                                .post("/api/groups"),
                        statuses(201, 403, 403, 403, 201, 403, 403, 401)),
                new Endpoint("PUT", "/api/groups/{groupId}",
                        who -> who.request().body("{\"name\": \"Matrix group " + UUID.randomUUID() + "\", \"timeZone\": \"UTC\"}")
                                .put("/api/groups/" + newNorthwindGroup()),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/groups/{groupId}/archive",
                        who -> who.request().post("/api/groups/" + newNorthwindGroup() + "/archive"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/groups/{groupId}/unarchive",
                        who -> who.request().post("/api/groups/" + newArchivedNorthwindGroup() + "/unarchive"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("GET", "/api/practices", who -> who.request().queryParam("includeDecommissioned", true).get("/api/practices"),
                        everyoneSignedIn),
                new Endpoint("PUT", "/api/practices/{practiceId}/name",
                        who -> who.request().body("{\"name\": \"Matrix renamed " + UUID.randomUUID() + "\"}")
                                .put("/api/practices/" + newCoastalPractice() + "/name"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/move",
                        who -> who.request().body("{\"groupId\": \"" + newNorthwindGroup() + "\"}")
                                .post("/api/practices/" + newCoastalPractice() + "/move"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                new Endpoint("POST", "/api/practices/{practiceId}/decommission",
                        who -> who.request().body("{\"reason\": \"matrix\"}").post("/api/practices/" + newCoastalPractice() + "/decommission"),
                        statuses(200, 403, 403, 403, 404, 403, 403, 401)),
                // maintenance windows (issue 14): the provider's staff anywhere in it, group managers in their group; practice
                // managers see those covering their practice; windows on Harbour Street start in 30 days, so they hold no email
                new Endpoint("GET", "/api/maintenance-windows",
                        who -> who.request().queryParam("practiceId", harbour).queryParam("state", "all").get("/api/maintenance-windows"),
                        statuses(200, 200, 200, 200, 404, 404, 404, 401)),
                new Endpoint("POST", "/api/maintenance-windows",
                        who -> who.request().body(laterHarbourWindow()).post("/api/maintenance-windows"),
                        statuses(201, 201, 201, 403, 404, 404, 403, 401)),
                new Endpoint("POST", "/api/maintenance-windows/{windowId}/end",
                        who -> who.request().post("/api/maintenance-windows/" + newActiveCoastalWindow() + "/end"),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)),
                new Endpoint("DELETE", "/api/maintenance-windows/{windowId}",
                        who -> who.request().delete("/api/maintenance-windows/" + newLaterHarbourWindow()),
                        statuses(200, 200, 200, 403, 404, 404, 403, 401)));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryoneAsTheirTenancyAllows() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (MatrixPerson who : MatrixPerson.values()) {
                int expected = endpoint.expected().get(who);
                tests.add(DynamicTest.dynamicTest(endpoint.method() + " " + endpoint.path() + " as " + who.description + " -> " + expected,
                        () -> {
                            Response response = endpoint.call().apply(who);
                            assertThat(response.statusCode()).as(response.asString()).isEqualTo(expected);
                            String body = response.asString();
                            for (UUID practice : MatrixPerson.ALL_PRACTICES) {
                                if (!MatrixPerson.VISIBLE.get(who).contains(practice)) {
                                    assertThat(body).as("%s must not see practice %s", who.description, practice)
                                            .doesNotContain(practice.toString());
                                }
                            }
                        }));
            }
        }
        return tests.stream();
    }

    @Test
    void theMatrixCoversEveryEndpointOfTheApi() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().path("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(method -> Set.of("get", "post", "put", "patch", "delete").contains(method))
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        Set<String> covered = new TreeSet<>();
        endpoints().forEach(e -> covered.add(e.method() + " " + e.path()));
        assertThat(covered).as("add every new endpoint to this matrix").containsExactlyElementsOf(documented);
    }

    @Test
    void peopleSeeExactlyThePracticesOfTheirTenancyInTheFleet() {
        for (MatrixPerson who : List.of(MatrixPerson.ALICE, MatrixPerson.GRACE, MatrixPerson.PAT, MatrixPerson.OLIVIA, MatrixPerson.GARY, MatrixPerson.PAULA)) {
            Set<String> demoIds = new TreeSet<>(fleetIds(who));
            demoIds.retainAll(MatrixPerson.ALL_PRACTICES.stream().map(UUID::toString).toList());
            assertThat(demoIds).as(who.description)
                    .containsExactlyInAnyOrderElementsOf(MatrixPerson.VISIBLE.get(who).stream().map(UUID::toString).toList());
        }
    }

    /** Every practice id of the fleet page, page by page, as the web UI's fleet lists them. */
    private static List<String> fleetIds(MatrixPerson who) {
        List<String> ids = new ArrayList<>();
        for (int page = 0;; page++) {
            JsonPath answer = who.request().queryParam("size", 200).queryParam("page", page)
                    .get("/api/fleet/compliance").then().statusCode(200).extract().jsonPath();
            ids.addAll(answer.getList("practices.id", String.class));
            if (ids.size() >= answer.getLong("total") || answer.getList("practices").isEmpty()) {
                return ids;
            }
        }
    }

    /** The statuses of the tenancy's people; the platform operator gets 403 (no tenant data) unless {@link #operator} says otherwise. */
    private static Map<MatrixPerson, Integer> statuses(int alice, int tom, int grace, int pat, int olivia, int gary, int paula, int nobody) {
        return Map.of(MatrixPerson.ALICE, alice, MatrixPerson.TOM, tom, MatrixPerson.GRACE, grace, MatrixPerson.PAT, pat, MatrixPerson.OLIVIA, olivia,
                MatrixPerson.GARY, gary,
                MatrixPerson.PAULA, paula, MatrixPerson.OSCAR, 403, MatrixPerson.NOBODY, nobody);
    }

    private static Map<MatrixPerson, Integer> operator(Map<MatrixPerson, Integer> statuses, int oscar) {
        Map<MatrixPerson, Integer> changed = new java.util.EnumMap<>(statuses);
        changed.put(MatrixPerson.OSCAR, oscar);
        return changed;
    }

    /** An endpoint of the platform operator: everyone else is refused. */
    private static Map<MatrixPerson, Integer> operatorOnly(int oscar) {
        return operator(statuses(403, 403, 403, 403, 403, 403, 403, 401), oscar);
    }

    private UUID enrolAgentIn(UUID practiceId) {
        String token = MatrixPerson.ALICE.request().body("{}").post("/api/practices/" + practiceId + "/enrolment-tokens")
                .then().statusCode(201).extract().path("token");
        return fleet.enrol(token, "harbour-server");
    }
}
