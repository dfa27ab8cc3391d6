package io.rampart.controlplane.tenancy;

import static io.rampart.controlplane.tenancy.TenancyRequests.as;
import static io.rampart.controlplane.tenancy.TenancyRequests.auditOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.agents.Agent;
import io.rampart.controlplane.alerts.Alert;
import io.rampart.controlplane.alerts.DailyDigests;
import io.rampart.controlplane.alerts.Notification;
import io.rampart.controlplane.alerts.NotificationDelivery;
import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.MonthlyReportService;
import io.rampart.controlplane.compliance.PracticeCompliance;
import io.rampart.controlplane.compliance.ReportMonth;
import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;

/**
 * Decommissioning a practice, against the real servers: its agents are revoked and refused on gRPC, its unused
 * enrolment tokens stop working, its open alerts are closed with the reason and nobody is emailed, and it leaves the
 * fleet, the compliance evaluation, the alerting, the digests and the reports of later months, while its page still
 * shows it, read-only, with who decommissioned it and when.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PracticeDecommissionTest {

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    NotificationDelivery delivery;
    @Inject
    DailyDigests digests;
    @Inject
    MonthlyReportService reports;

    @BeforeEach
    void seed() {
        fleet.seedDemoTenancy();
    }

    @Test
    void revokesItsAgentsWhichAreThenRefusedAndItsUnusedTokensStopWorking() {
        Practice practice = fleet.newPractice("Closing Lane Surgery " + UUID.randomUUID());
        String unused = as("alice").body("{}").post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(201)
                .extract().path("token");
        try (EnrolledAgent agent = EnrolledAgent.enrol(fleet, fleet.token(practice))) {
            assertThat(agent.checkIds()).containsExactly("nas-copy");

            as("alice").body(Map.of("reason", "The practice closed; patients moved to Harbour Street"))
                    .post("/api/practices/{id}/decommission", practice.id).then().statusCode(200)
                    .body("decommissionedBy", equalTo("alice"))
                    .body("decommissionReason", equalTo("The practice closed; patients moved to Harbour Street"));

            assertThatThrownBy(() -> agent.stub().getConfiguration(GetConfigurationRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("agent " + agent.id() + " was revoked on");
                    });
            assertThat(QuarkusTransaction.requiringNew().call(() -> Agent.<Agent> findById(agent.id()).revokedAt)).isNotNull();
        }
        assertThatThrownBy(() -> EnrolledAgent.enrol(fleet, unused)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).contains("this enrolment token expired on"));
        as("alice").body("{}").post("/api/practices/{id}/enrolment-tokens", practice.id).then().statusCode(409)
                .body("detail", containsString("was decommissioned on")).body("detail", containsString("no agent can be enrolled for it"));

        List<AuditEntry> audit = auditOf("practice", practice.id);
        assertThat(audit).extracting(e -> e.action).containsExactly("practice.decommissioned");
        assertThat(audit.get(0).before).contains("\"decommissionedAt\": null");
        assertThat(audit.get(0).after).contains("\"decommissionedBy\": \"alice\"", "patients moved to Harbour Street");
    }

    @Test
    void closesItsOpenAlertsWithTheReasonAndEmailsNobody() {
        Practice practice = fleet.newPractice("Quiet Close Surgery " + UUID.randomUUID());
        String manager = "manager-" + UUID.randomUUID() + "@quietclose.example";
        as("alice").body(Map.of("name", "Dr Quiet", "email", manager, "role", "PRACTICE_MANAGER"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(201);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, t0, t0.minus(Duration.ofHours(2)));
        evidence.evaluateAllDue(t0);
        evidence.evaluateAllDue(t0.plus(Duration.ofHours(30)));            // nas-copy FAIL: the copy is 32 h old
        await().atMost(Duration.ofSeconds(30)).until(() -> openAlerts(practice).stream().anyMatch(a -> a.ruleId.equals("nas-copy")));
        // the failure emails are owed, not sent yet
        assertThat(pendingFor(practice)).isPositive();

        TenancyRequests.decommission(practice.id, "merged into Harbour Street");

        assertThat(openAlerts(practice)).isEmpty();
        List<Alert> closed = QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> list("practiceId", practice.id));
        assertThat(closed).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.status).isEqualTo(Alert.Status.RESOLVED);
            assertThat(alert.resolvedReason).startsWith("Practice decommissioned on ").contains(" by alice: merged into Harbour Street");
        });
        List<Notification> notifications = QuarkusTransaction.requiringNew().call(() -> Notification.<Notification> list("practiceId",
                practice.id));
        assertThat(notifications).allSatisfy(n -> {
            assertThat(n.status).isEqualTo(Notification.Status.GIVEN_UP);
            assertThat(n.lastError).startsWith("Not sent: Practice decommissioned on ");
        });
        while (delivery.sendNext(Instant.now())) {
            // everything due
        }
        assertThat(messagesTo(manager)).as("no failure, recovery or other email about a practice being decommissioned").isEmpty();

        // it is no longer evaluated, so time passing opens nothing new
        Instant evaluatedAt = QuarkusTransaction.requiringNew().call(() -> PracticeCompliance.<PracticeCompliance> findById(practice.id).evaluatedAt);
        evidence.evaluateAllDue(t0.plus(Duration.ofDays(3)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> PracticeCompliance.<PracticeCompliance> findById(practice.id).evaluatedAt))
                .isEqualTo(evaluatedAt);
        assertThat(openAlerts(practice)).isEmpty();
        while (delivery.sendNext(Instant.now())) {
            // everything due
        }
        assertThat(messagesTo(manager)).isEmpty();
    }

    @Test
    void leavesTheFleetDigestsAndLaterReportsButItsPageStillShowsItReadOnly() {
        Practice practice = fleet.newPractice("Gone Road Surgery " + UUID.randomUUID());
        Practice staying = fleet.newPracticeIn(practice.groupId, "Staying Road Surgery " + UUID.randomUUID());
        Instant now = Instant.now();
        evidence.reportNasCopy(practice, now, now.minus(Duration.ofHours(1)));
        evidence.evaluateAllDue(now);
        as("alice").queryParam("groupId", practice.groupId).get("/api/fleet/compliance").then().body("practices.id", hasItem(practice.id.toString()));

        TenancyRequests.decommission(practice.id, "closed");

        as("alice").queryParam("groupId", practice.groupId).get("/api/fleet/compliance").then().statusCode(200)
                .body("practices.id", not(hasItem(practice.id.toString()))).body("practices.id", hasItem(staying.id.toString()))
                .body("total", equalTo(1));
        as("alice").get("/api/groups/{id}/compliance", practice.groupId).then().statusCode(200).body("practices", equalTo(1));
        as("alice").get("/api/practices").then().body("id", not(hasItem(practice.id.toString())));
        as("alice").queryParam("includeDecommissioned", true).get("/api/practices").then()
                .body("find { it.id == '" + practice.id + "' }.decommissionedBy", equalTo("alice"));

        // its page: read-only, who and when, and its history is still there
        as("alice").get("/api/practices/{id}", practice.id).then().statusCode(200)
                .body("decommissionedBy", equalTo("alice")).body("decommissionReason", equalTo("closed"))
                .body("checks.checkId", hasItem("nas-copy"));
        as("alice").get("/api/practices/{id}/compliance/history", practice.id).then().statusCode(200);
        as("alice").body(Map.of("name", "Renamed")).put("/api/practices/{id}/name", practice.id).then().statusCode(409)
                .body("detail", containsString("it is kept read-only, so you cannot rename it"));
        as("alice").body(Map.of("name", "Late", "email", "late@example.com", "role", "IT_CONTACT"))
                .post("/api/practices/{id}/contacts", practice.id).then().statusCode(409)
                .body("detail", containsString("it is kept read-only and takes no changes"));
        as("alice").body(Map.of("note", "late review")).post("/api/practices/{id}/plan-reviews", practice.id).then().statusCode(409);
        as("alice").body(Map.of("ruleId", "ups", "reason", "late", "approvedBy", "x", "until", Instant.now().plus(Duration.ofDays(1)).toString()))
                .post("/api/practices/{id}/exceptions", practice.id).then().statusCode(409);

        PracticeGroup group = QuarkusTransaction.requiringNew().call(() -> PracticeGroup.<PracticeGroup> findById(practice.groupId));
        String digest = QuarkusTransaction.requiringNew().call(() -> digests.groupDigest(group, Instant.now()).body());
        // the group is named after the practice (TestFleet): what must go is the practice itself
        assertThat(digest).contains("'s 1 practice stand");
        assertThat(digest.replace(group.name, "")).doesNotContain(practice.name);
        String providerDigest = QuarkusTransaction.requiringNew().call(() -> digests.providerDigest(DemoTenancy.NORTHWIND, Instant.now()).body());
        assertThat(providerDigest.replace(group.name, "")).doesNotContain(practice.name);

        TenantScope northwind = TenantScope.provider(DemoTenancy.NORTHWIND);
        YearMonth thisMonth = YearMonth.from(Instant.now().atZone(ZoneOffset.UTC));
        MonthlyReport current = reports.report(northwind, practice.groupId, month(thisMonth), Instant.now()).orElseThrow();
        assertThat(current.practices()).as("it was live for part of this month").isEqualTo(2);
        MonthlyReport next = reports.report(northwind, practice.groupId, month(thisMonth.plusMonths(1)), Instant.now()).orElseThrow();
        assertThat(next.practices()).isEqualTo(1);
        assertThat(next.objectives()).extracting(o -> o.practiceId()).containsExactly(staying.id);
    }

    private static ReportMonth month(YearMonth month) {
        return new ReportMonth(month, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static List<Alert> openAlerts(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert> list("practiceId = ?1 and status <> ?2", practice.id,
                Alert.Status.RESOLVED));
    }

    private static long pendingFor(Practice practice) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.count("practiceId = ?1 and status = ?2", practice.id,
                Notification.Status.PENDING));
    }

    private static List<MimeMessage> messagesTo(String recipient) {
        return Arrays.stream(RealServers.mail().getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(recipient));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }
}
