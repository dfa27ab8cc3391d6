package io.rampart.controlplane.embedded;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.rampart.agent.Enrolment;
import io.rampart.agent.PracticeAgent;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.ReportedJobs;
import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.compliance.ComplianceEvaluation;
import io.rampart.controlplane.compliance.ComplianceHistoryEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * The demo's provider day: Harbour Street's layers set up for real on this machine (a restic repository and a
 * restore test of it, a UPS served by NUT's upsd, a PostgreSQL standby, the NAS copy read back, the archive) make a
 * real agent's every check pass and every rule of the reference policy pass in the control plane; and the month
 * of history gives the Coastal group's report a day-by-day shape.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class DemoProviderDayTest {

    @Inject
    DemoTenancy tenancy;
    @Inject
    DemoPeople people;
    @Inject
    DemoHistory history;
    @Inject
    TestFleet fleet;
    @Inject
    ComplianceEvaluation evaluation;

    @TempDir
    Path temp;

    private final DemoLayers layers = new DemoLayers();

    @AfterEach
    void stopTheLayersAndPutBackTheTestsCheckSet() {
        layers.close();
        // the other tests know Coastal with its basic check set
        tenancy.seed();
    }

    @Test
    void harbourStreetPassesEveryRuleWithEveryLayerRunForReal() throws Exception {
        DemoTools tools = DemoTools.find();
        assertThat(tools.missing()).as("the tests need restic, NUT and PostgreSQL (see the README)").isEmpty();
        tenancy.seed(tools.layers());
        people.seedContacts();
        people.seedPlanReviews();

        // PostgreSQL runs as the postgres user when the tests run as root: it must pass through the temp folder
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = temp.resolve("harbour-street");
        Instant now = Instant.now();
        long started = System.nanoTime();
        String bindings = DemoFolders.writeBackups(home, DemoFleet.Scenario.HEALTHY, now) + layers.start(tools, home, Clock.systemUTC());
        long setUpMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(bindings).contains("check.cloud-copy.repository=", "check.ups.port=", "check.db-sync.secondary=",
                "check.archive-retention.path=");
        assertThat(bindings).as("the repository password stays in a file on the practice's server").doesNotContainPattern("[0-9a-f]{48}");
        System.out.printf("Harbour Street's layers were set up in %d ms%n", setUpMillis);

        AgentHome agentHome = AgentHome.at(home.resolve("agent"));
        Files.writeString(agentHome.checksFile(), bindings);
        Enrolment.enroll(agentHome, URI.create(fleet.grpcUrl()), fleet.token(harbourStreet()),
                "harbour-street", fleet.caCertificates());
        ReportedJobs.in(agentHome).record(new ReportedJobs.Report("system-image", ReportedJobs.Outcome.OK, now, "Veeam Agent",
                "Veeam Agent: image of SERVER01 completed, 212 GB"));
        try (PracticeAgent agent = PracticeAgent.open(agentHome, Clock.systemUTC())) {
            agent.refreshConfiguration();
            agent.runChecksNow();
            agent.deliverNow();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonPath practice = asAlice().get("/api/practices/{id}", DemoTenancy.HARBOUR_STREET).then().statusCode(200).extract().jsonPath();
            assertThat(practice.getList("checks.checkId")).contains("archive-retention", "cloud-copy", "db-sync", "nas-copy",
                    "restore-test", "system-image", "ups", "usb-copy", "usb-rotation");
            List<Map<String, Object>> checks = practice.getList("checks");
            assertThat(checks).allSatisfy(check -> assertThat(check.get("status")).as(check.get("checkId") + ": " + check.get("summary"))
                    .isEqualTo("PASS"));
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            evaluation.markDue(List.of(DemoTenancy.HARBOUR_STREET), Instant.now());
            evaluation.evaluateDue(Instant.now(), 100);
            JsonPath compliance = asAlice().get("/api/practices/{id}/compliance", DemoTenancy.HARBOUR_STREET).then().statusCode(200)
                    .extract().jsonPath();
            List<Map<String, Object>> rules = compliance.getList("rules");
            assertThat(rules).extracting(rule -> rule.get("ruleId")).containsExactly("db-sync", "cloud-copy", "nas-copy", "usb-rotation",
                    "system-image", "archive-retention", "restore-test", "ups", "plan-review", "contacts", "agent-heartbeat");
            assertThat(rules).allSatisfy(rule -> assertThat(rule.get("status")).as(rule.get("ruleId") + ": " + rule.get("reason"))
                    .isEqualTo("PASS"));
            assertThat(compliance.getString("status")).isEqualTo("PASS");
            assertThat(compliance.getString("reason")).isEqualTo("All 11 rules pass");
        });
    }

    @Test
    void theDemoTenancyIsMadeThroughTheServicesAProviderUsesAndAuditedAsTheDemo() {
        tenancy.seed();
        long audited = QuarkusTransaction.requiringNew().call(() -> AuditEntry.count());
        tenancy.seed();
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEntry.count())).as("a second seed changes nothing").isEqualTo(audited);

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(created("provider.created", DemoTenancy.NORTHWIND)).extracting(e -> e.actorRole).containsExactly("platform-operator");
            assertThat(created("group.created", DemoTenancy.COASTAL)).extracting(e -> e.actorUsername).containsExactly("demo");
            assertThat(created("practice.created", DemoTenancy.HARBOUR_STREET)).extracting(e -> e.actorUsername).containsExactly("demo");
            assertThat(AuditEntry.<AuditEntry> list("action = ?1 and targetId = ?2", "group-check.added", DemoTenancy.INLAND + "/usb-rotation"))
                    .extracting(e -> e.actorUsername).containsOnly("demo").isNotEmpty();
        });
        List<String> checkIds = asAlice().get("/api/groups/{id}/checks", DemoTenancy.INLAND).then().statusCode(200).extract().jsonPath()
                .getList("checkId");
        assertThat(checkIds).containsExactlyInAnyOrder("nas-copy", "usb-copy", "system-image", "usb-rotation");
    }

    private static List<AuditEntry> created(String action, java.util.UUID id) {
        return AuditEntry.list("action = ?1 and targetId = ?2", action, id.toString());
    }

    @Test
    void aMonthOfHistoryGivesTheGroupsReportADayByDayShapeAndIsWrittenOnce() {
        Instant now = Instant.now();
        history.seed(EnumSet.allOf(DemoTools.Layer.class));
        long rows = QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.count("groupId", DemoTenancy.COASTAL));
        history.seed(EnumSet.allOf(DemoTools.Layer.class));
        assertThat(QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.count("groupId", DemoTenancy.COASTAL)))
                .as("a second start writes nothing").isEqualTo(rows);

        // the month of Harbour Street's missed NAS copy (13 days into the history)
        YearMonth month = YearMonth.from(now.minus(Duration.ofDays(DemoHistory.DAYS - 13)).atZone(ZoneOffset.UTC));
        JsonPath report = given().auth().oauth2(Tokens.of("grace")).queryParam("month", month.toString())
                .get("/api/groups/{id}/compliance/report", DemoTenancy.COASTAL).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> days = report.getList("days");
        List<Map<String, Object>> shaped = days.stream().filter(day -> day.get("overall") != null).toList();
        assertThat(shaped).as("days with a share of passing practices").hasSizeGreaterThanOrEqualTo(Math.min(days.size(), 10));
        assertThat(shaped).allSatisfy(
                day -> assertThat(((Map<?, ?>) day.get("rules")).keySet().stream().map(String::valueOf).toList()).contains("nas-copy", "usb-rotation",
                        "system-image", "plan-review", "contacts"));
        List<Double> nasCopy = shaped.stream().map(day -> ((Number) ((Map<?, ?>) day.get("rules")).get("nas-copy")).doubleValue()).toList();
        assertThat(nasCopy).as("Harbour Street's missed night among nights all three copied").contains(1.0).anySatisfy(
                share -> assertThat(share).isCloseTo(0.667, org.assertj.core.data.Offset.offset(0.001)));
        List<Map<String, Object>> failures = report.getList("failures");
        assertThat(failures).anySatisfy(failure -> {
            assertThat(failure.get("practiceName")).isEqualTo("Harbour Street Surgery");
            assertThat(failure.get("ruleId")).isEqualTo("nas-copy");
            assertThat(failure.get("episodes")).isEqualTo(1);
            assertThat(failure.get("stillFailing")).isEqualTo(false);
        });
        assertThat(failures).anySatisfy(failure -> {
            assertThat(failure.get("practiceName")).isEqualTo("Hilltop Medical Centre");
            assertThat(failure.get("ruleId")).isEqualTo("plan-review");
        });
    }

    private static Practice harbourStreet() {
        return QuarkusTransaction.requiringNew().call(() -> Practice.findById(DemoTenancy.HARBOUR_STREET));
    }

    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().auth().oauth2(Tokens.of("alice"));
    }
}
