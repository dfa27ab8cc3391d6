package io.rampart.controlplane.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.alerts.Alert;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.PolicyWriter;

/**
 * The targets TenantIsolationMatrixTest calls its endpoints on, made through the API by alice (Northwind's admin) or
 * the operator: request bodies ({@code harbourManager()}, {@code webhook()} ...) and new things ({@code newX()}, whose
 * id they return). Everything is named "matrix" and changes no verdict of the demo.
 */
final class MatrixTargets {

    private MatrixTargets() {
    }

    static String harbourManager() {
        return "{\"email\": \"matrix-" + UUID.randomUUID() + "@practice.example\", \"firstName\": \"Matrix\", \"lastName\": \"Person\", "
                + "\"role\": \"practice-manager\", \"practiceId\": \"" + DemoTenancy.HARBOUR_STREET + "\"}";
    }

    /** A practice manager of Harbour Street, invited by alice: the target of one call. */
    static String newHarbourManager() {
        return MatrixPerson.ALICE.request().body(harbourManager()).post("/api/people").then().statusCode(201).extract().path("person.id");
    }

    static String newProvider() {
        return MatrixPerson.OSCAR.request().body("{\"name\": \"Matrix provider " + UUID.randomUUID() + "\"}").post("/api/operator/providers")
                .then().statusCode(201).extract().path("id");
    }

    static String newAdmin() {
        return "{\"email\": \"matrix-admin-" + UUID.randomUUID() + "@provider.example\", \"firstName\": \"Matrix\", \"lastName\": \"Admin\"}";
    }

    /** A UPS check no rule reads ("matrix-..." serves none), so the matrix changes no verdict of the demo. */
    static String matrixCheck(String checkId) {
        return "{" + (checkId == null ? "" : "\"checkId\": \"" + checkId + "\", ") + "\"kind\": \"UPS\", \"intervalSeconds\": 300}";
    }

    static String newCoastalCheck() {
        String checkId = "matrix-" + UUID.randomUUID();
        MatrixPerson.ALICE.request().body(matrixCheck(checkId)).post("/api/groups/" + DemoTenancy.COASTAL + "/checks").then().statusCode(201);
        return checkId;
    }

    static String newHarbourCheck() {
        String checkId = "matrix-" + UUID.randomUUID();
        MatrixPerson.ALICE.request().body(matrixCheck(null)).put("/api/practices/" + DemoTenancy.HARBOUR_STREET + "/checks/" + checkId)
                .then().statusCode(200);
        return checkId;
    }

    /** A reported-job check of Harbour Street's own that no rule reads ("matrix-..."). */
    static String newHarbourJob() {
        String checkId = "matrix-" + UUID.randomUUID();
        MatrixPerson.ALICE.request().body("{\"kind\": \"REPORTED_JOB\", \"intervalSeconds\": 300}")
                .put("/api/practices/" + DemoTenancy.HARBOUR_STREET + "/checks/" + checkId).then().statusCode(200);
        return checkId;
    }

    /** The path, /ping/&lt;id&gt;, of a new live ping URL of Harbour Street. */
    static String newHarbourPingPath() {
        String url = MatrixPerson.ALICE.request().post("/api/practices/" + DemoTenancy.HARBOUR_STREET + "/checks/" + newHarbourJob() + "/ping")
                .then().statusCode(200).extract().path("pingUrl");
        return url.substring(url.indexOf("/ping/"));
    }

    /** As newHarbourJob, with a live ping URL. */
    static String newPingedHarbourJob() {
        String checkId = newHarbourJob();
        MatrixPerson.ALICE.request().post("/api/practices/" + DemoTenancy.HARBOUR_STREET + "/checks/" + checkId + "/ping").then().statusCode(200);
        return checkId;
    }

    static String referencePolicy() {
        return PolicyWriter.write(PolicyDocument.reference()).toString();
    }

    static String policyChange() {
        return "{\"document\": " + referencePolicy() + ", \"comment\": \"matrix\"}";
    }

    static String template(String name) {
        return "{\"name\": \"" + name + "\", \"document\": " + referencePolicy() + "}";
    }

    /** Port 9 (discard) on this computer: a call fails at once, and nothing outside is ever called. */
    static String webhook() {
        return "{\"url\": \"http://localhost:9/matrix-" + UUID.randomUUID() + "\"}";
    }

    static String newNorthwindWebhook() {
        return MatrixPerson.ALICE.request().body(webhook()).post("/api/webhooks").then().statusCode(201).extract().path("id");
    }

    static String contact() {
        return "{\"name\": \"Matrix contact\", \"email\": \"matrix-" + UUID.randomUUID() + "@example.com\", \"role\": \"IT_CONTACT\"}";
    }

    static String newContact(String owner) {
        return MatrixPerson.ALICE.request().body(contact()).post(owner + "/contacts").then().statusCode(201).extract().path("id");
    }

    /** An open alert of Harbour Street, as the alerting would open it. */
    static UUID newHarbourAlert() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Alert alert = new Alert();
            alert.id = UUID.randomUUID();
            alert.providerId = DemoTenancy.NORTHWIND;
            alert.groupId = DemoTenancy.COASTAL;
            alert.practiceId = DemoTenancy.HARBOUR_STREET;
            alert.ruleId = "matrix-" + alert.id;
            alert.status = Alert.Status.OPEN;
            alert.reason = "matrix";
            alert.openedAt = Instant.now();
            alert.persist();
            return alert.id;
        });
    }

    /** A new, empty group of Northwind, made by its admin. */
    static String newNorthwindGroup() {
        return MatrixPerson.ALICE.request().body("{\"name\": \"Matrix group " + UUID.randomUUID() + "\", \"timeZone\": \"UTC\"}")
                .post("/api/groups").then().statusCode(201).extract().path("id");
    }

    static String newArchivedNorthwindGroup() {
        String group = newNorthwindGroup();
        MatrixPerson.ALICE.request().post("/api/groups/" + group + "/archive").then().statusCode(200);
        return group;
    }

    /** A new practice in Coastal, inside grace's group and beside paula's practice. */
    static String newCoastalPractice() {
        return MatrixPerson.ALICE.request().body("{\"name\": \"Matrix practice " + UUID.randomUUID() + "\"}")
                .post("/api/groups/" + DemoTenancy.COASTAL + "/practices").then().statusCode(201).extract().path("id");
    }

    /** A window of Harbour Street starting in 30 days: it holds nothing while the tests run. */
    static String laterHarbourWindow() {
        Instant start = Instant.now().plus(Duration.ofDays(30));
        return "{\"practiceId\": \"" + DemoTenancy.HARBOUR_STREET + "\", \"startsAt\": \"" + start + "\", \"endsAt\": \""
                + start.plus(Duration.ofHours(1)) + "\", \"reason\": \"matrix\"}";
    }

    static String newLaterHarbourWindow() {
        return MatrixPerson.ALICE.request().body(laterHarbourWindow()).post("/api/maintenance-windows").then().statusCode(201).extract().path("id");
    }

    /** An active window of a new practice in Coastal (not Harbour Street, whose emails it would hold). */
    static String newActiveCoastalWindow() {
        return MatrixPerson.ALICE.request().body("{\"practiceId\": \"" + newCoastalPractice() + "\", \"endsAt\": \""
                + Instant.now().plus(Duration.ofHours(1)) + "\", \"reason\": \"matrix\"}").post("/api/maintenance-windows")
                .then().statusCode(201).extract().path("id");
    }

    static String policyException() {
        return "{\"ruleId\": \"ups\", \"reason\": \"matrix\", \"approvedBy\": \"matrix\", \"until\": \""
                + Instant.now().plus(Duration.ofDays(1)) + "\"}";
    }

    static String newNorthwindTemplate() {
        return MatrixPerson.ALICE.request().body(template("Matrix template " + UUID.randomUUID())).post("/api/policy-templates")
                .then().statusCode(201).extract().path("id");
    }

    static String newHarbourException() {
        return MatrixPerson.ALICE.request().body(policyException()).post("/api/practices/" + DemoTenancy.HARBOUR_STREET + "/exceptions")
                .then().statusCode(201).extract().path("id");
    }
}
