package io.rampart.controlplane.compliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import io.rampart.controlplane.policy.reviews.PlanReviewEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * A group's October from its compliance history, written into the database as the evaluation
 * would have left it: as JSON, CSV and PDF, refused for a month that is no month or has not
 * begun, and invisible outside the group's tenancy.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class MonthlyReportTest {

    private static final String OCTOBER = "2026-10";

    @Inject
    TestFleet fleet;
    @Inject
    EntityManager entityManager;

    private Practice smith;
    private Practice beach;
    private String reportUrl;

    /**
     * Smith fails nas-copy from 3 Oct 12:00 to 5 Oct 12:00 and cloud-copy from 31 Oct 22:00; Beach fails
     * usb-rotation from September on; Smith is AT_RISK on ups from 20 Oct, which is no failure.
     */
    @BeforeEach
    void aGroupOfTwoPracticesWithAKnownOctober() {
        String token = "Rpt " + UUID.randomUUID().toString().substring(0, 6);
        smith = fleet.newPractice(token + " Smith, \"Jones\"");
        beach = fleet.newPracticeIn(smith.groupId, token + " Beach Clinic");
        QuarkusTransaction.requiringNew().run(() -> {
            history(smith, "nas-copy", "PASS", "2026-09-20T08:00:00Z");
            history(smith, "usb-rotation", "PASS", "2026-09-20T08:00:00Z");
            history(smith, null, "PASS", "2026-09-20T08:00:00Z");
            history(beach, "nas-copy", "PASS", "2026-09-20T08:00:00Z");
            history(beach, "usb-rotation", "FAIL", "2026-09-28T08:00:00Z");
            history(beach, null, "FAIL", "2026-09-28T08:00:00Z");
            history(smith, "nas-copy", "FAIL", "2026-10-03T12:00:00Z");
            history(smith, null, "FAIL", "2026-10-03T12:00:00Z");
            history(smith, "nas-copy", "PASS", "2026-10-05T12:00:00Z");
            history(smith, null, "PASS", "2026-10-05T12:00:00Z");
            history(smith, "ups", "AT_RISK", "2026-10-20T09:00:00Z");
            history(smith, "cloud-copy", "FAIL", "2026-10-31T22:00:00Z");
            history(smith, null, "FAIL", "2026-10-31T22:00:00Z");
            // November's first instant belongs to November
            history(smith, "nas-copy", "FAIL", "2026-11-01T00:00:00Z");
            PlanReviewEntry review = new PlanReviewEntry();
            review.id = UUID.randomUUID();
            review.providerId = smith.providerId;
            review.groupId = smith.groupId;
            review.practiceId = smith.id;
            review.reviewedBy = "Dr Smith";
            review.reviewedAt = Instant.parse("2026-10-15T12:00:00Z");
            review.note = "procedure read through";
            review.recordedBy = "alice";
            review.recordedAt = review.reviewedAt;
            review.persist();
        });
        reportUrl = "/api/groups/" + smith.groupId + "/compliance/report";
    }

    @Test
    void theDaysShareOfPracticesPassingEachRuleAndOverall() {
        JsonPath report = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl).then().statusCode(200)
                .body("groupId", equalTo(smith.groupId.toString())).body("groupName", equalTo("Group of " + smith.name))
                .body("month", equalTo(OCTOBER)).body("from", equalTo("2026-10-01T00:00:00Z")).body("to", equalTo("2026-11-01T00:00:00Z"))
                .body("generatedAt", notNullValue()).body("practices", equalTo(2))
                .extract().jsonPath();

        List<Map<String, Object>> days = report.getList("days");
        assertThat(days).hasSize(31);
        assertThat(days.get(0)).containsEntry("date", "2026-10-01").containsEntry("overall", 0.5f);
        assertThat(rules(days, 1)).containsExactly(Map.entry("nas-copy", 1.0f), Map.entry("usb-rotation", 0.5f));
        assertThat(rules(days, 3)).containsEntry("nas-copy", 0.5f);
        assertThat(days.get(2)).containsEntry("overall", 0.0f);
        assertThat(rules(days, 4)).containsEntry("nas-copy", 0.5f);
        assertThat(rules(days, 5)).containsEntry("nas-copy", 1.0f);
        assertThat(days.get(4)).containsEntry("overall", 0.5f);
        assertThat(rules(days, 19)).doesNotContainKey("ups");
        assertThat(rules(days, 20)).containsEntry("ups", 0.0f);
        assertThat(rules(days, 31)).containsExactly(Map.entry("cloud-copy", 0.0f), Map.entry("nas-copy", 1.0f),
                Map.entry("usb-rotation", 0.5f), Map.entry("ups", 0.0f));
        assertThat(days.get(30)).containsEntry("overall", 0.0f);
    }

    @Test
    void aRuleThePolicyNoLongerHasIsLeftOutRatherThanFailingForEver() {
        Map<String, Object> policy = given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/policy", smith.groupId).then()
                .statusCode(200).extract().path("document");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> rules = (Map<String, Map<String, Object>>) policy.get("rules");
        rules.get("usb-rotation").put("enabled", false);
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("document", policy, "comment", "no USB drives at this group")).put("/api/groups/{id}/policy", smith.groupId)
                .then().statusCode(200);

        JsonPath report = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> days = report.getList("days");
        assertThat(rules(days, 1)).containsExactly(Map.entry("nas-copy", 1.0f));
        assertThat(report.getList("failures.ruleId", String.class)).doesNotContain("usb-rotation");
    }

    @Test
    void theFailuresLongestFirstWithTheirEpisodes() {
        given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl).then().statusCode(200)
                .body("failures.practiceName", contains(beach.name, smith.name, smith.name))
                .body("failures.ruleId", contains("usb-rotation", "nas-copy", "cloud-copy"))
                .body("failures.failingFor", contains("PT744H", "PT48H", "PT2H"))
                .body("failures.episodes", contains(1, 1, 1))
                .body("failures.stillFailing", contains(true, false, true))
                .body("failures.practiceId", contains(beach.id.toString(), smith.id.toString(), smith.id.toString()));
    }

    @Test
    void theObjectivesAndPlanReviewsOfEveryPracticeByName() {
        given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl).then().statusCode(200)
                .body("objectives.practiceName", contains(beach.name, smith.name))
                .body("objectives[0].restoreTime.objective", notNullValue())
                .body("objectives[0].restoreTime.measured", nullValue())
                .body("objectives[0].syncLag.source", equalTo("no database sync reported yet"))
                .body("planReviews.practiceName", contains(beach.name, smith.name))
                .body("planReviews[0].reviewedAt", nullValue()).body("planReviews[0].reviewedBy", nullValue())
                .body("planReviews[1].reviewedAt", equalTo("2026-10-15T12:00:00Z")).body("planReviews[1].reviewedBy", equalTo("Dr Smith"));
    }

    @Test
    void withoutAMonthTheReportCoversTheCurrentMonthUpToNow() {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        JsonPath report = given().auth().oauth2(Tokens.of("alice")).get(reportUrl).then().statusCode(200)
                .body("month", equalTo(month)).extract().jsonPath();
        Instant to = Instant.parse(report.getString("to"));
        assertThat(to).isBeforeOrEqualTo(Instant.now()).isAfter(Instant.now().minusSeconds(60));
        assertThat(report.getList("days.date", String.class)).last().isEqualTo(to.atZone(ZoneOffset.UTC).toLocalDate().toString());
        assertThat(report.getList("failures.ruleId", String.class)).as("failing since 1 Nov 00:00").contains("nas-copy");
        given().auth().oauth2(Tokens.of("alice")).queryParam("month", "").get(reportUrl).then().statusCode(200).body("month", equalTo(month));
    }

    @Test
    void theCsvHasTheDaysInPercentThenTheFailuresQuoted() {
        var response = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl + ".csv").then().statusCode(200)
                .header("Content-Type", allOf(startsWith("text/csv"), containsStringIgnoringCase("charset=utf-8")))
                .header("Content-Disposition", "attachment; filename=\"rampart-" + GroupComplianceResource.slug("Group of " + smith.name)
                        + "-2026-10.csv\"")
                .extract();
        String csv = new String(response.asByteArray(), StandardCharsets.UTF_8);
        List<String> lines = List.of(csv.split("\r\n", -1));
        String quotedSmith = "\"" + smith.name.replace("\"", "\"\"") + "\"";
        assertThat(lines.get(0)).isEqualTo("date,overall,cloud-copy,nas-copy,usb-rotation,ups");
        assertThat(lines.get(1)).isEqualTo("2026-10-01,50.0,,100.0,50.0,");
        assertThat(lines.get(3)).isEqualTo("2026-10-03,0.0,,50.0,50.0,");
        assertThat(lines.get(20)).isEqualTo("2026-10-20,50.0,,100.0,50.0,0.0");
        assertThat(lines.get(31)).isEqualTo("2026-10-31,0.0,0.0,100.0,50.0,0.0");
        assertThat(lines.subList(32, lines.size())).containsExactly("",
                "practice,rule,failing for (hours),episodes,still failing",
                beach.name + ",usb-rotation,744.0,1,yes",
                quotedSmith + ",nas-copy,48.0,1,no",
                quotedSmith + ",cloud-copy,2.0,1,yes",
                "");
    }

    @Test
    void thePdfNamesTheGroupAndTheRulesInWords() throws IOException {
        var response = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl + ".pdf").then().statusCode(200)
                .contentType("application/pdf")
                .header("Content-Disposition", "attachment; filename=\"rampart-" + GroupComplianceResource.slug("Group of " + smith.name)
                        + "-2026-10.pdf\"")
                .extract();
        byte[] pdf = response.asByteArray();
        assertThat(new String(pdf, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("%PDF");
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            // a long line may wrap wherever there is a space
            String first = extractor.getTextFromPage(1).replaceAll("\\s+", " ");
            assertThat(first).contains("Group of " + smith.name).contains("October 2026").contains("Daily copy on the NAS")
                    .contains("Rotated USB drives");
            StringBuilder all = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                all.append(extractor.getTextFromPage(page).replaceAll("\\s+", " "));
            }
            assertThat(all).contains(beach.name).contains("Dr Smith");
        } finally {
            reader.close();
        }
    }

    @Test
    void thePdfDrawsTheWebPagesDayByDayChartWithADashForEachDayWithoutData() {
        byte[] pdf = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(reportUrl + ".pdf").then().statusCode(200)
                .extract().asByteArray();
        PdfDrawing drawing = PdfDrawing.of(pdf);

        assertThat(drawing.text()).contains(MonthlyReportPdfChart.TITLE).contains("Every rule (the practice overall)")
                .contains("Rule 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31")
                .contains("Uninterruptible power supply");
        assertThat(drawing.images).isZero();
        // a bar a day overall, for the NAS copy and the USB drives; the UPS from the 20th; the cloud copy on the 31st
        assertThat(drawing.filled(0x000000)).hasSize(31);
        assertThat(drawing.chartBars()).hasSize(31 * 3 + 12 + 1);
        // no state for the UPS before the 20th nor for the cloud copy before the 31st; two more in the legend
        assertThat(drawing.text().chars().filter(c -> c == '\u2013')).hasSize(19 + 30 + 2);
    }

    @Test
    void aMonthThatIsNoMonthOrHasNotBegunIsRefused() {
        for (String month : List.of("2099-01", "nope", "2026-13", "2026-1")) {
            for (String format : List.of("", ".csv", ".pdf")) {
                given().auth().oauth2(Tokens.of("alice")).queryParam("month", month).get(reportUrl + format).then().statusCode(400)
                        .contentType("application/problem+json").body("errors.field", contains("month"));
            }
        }
    }

    @Test
    void aGroupOutsideTheCallersTenancyIsNotFound() {
        for (String format : List.of("", ".csv", ".pdf")) {
            given().auth().oauth2(Tokens.of("grace")).queryParam("month", OCTOBER).get(reportUrl + format).then().statusCode(404);
        }
        given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get("/api/groups/" + UUID.randomUUID() + "/compliance/report")
                .then().statusCode(404);
    }

    /**
     * Mover fails nas-copy in its first group from 10 Oct, is moved to Stayer's group on 16 Oct (through the REST API,
     * its audit record then dated 16 Oct 00:00, as if it had happened then) and passes again there on 21 Oct.
     */
    @Test
    void aPracticeMovedInTheMonthIsInItsOldGroupsReportUntilTheMoveAndInItsNewGroupsFromThenOn() {
        String token = "Mv " + UUID.randomUUID().toString().substring(0, 6);
        Practice mover = fleet.newPractice(token + " Mover Surgery");
        Practice stayer = fleet.newPractice(token + " Stayer Surgery");
        UUID from = mover.groupId;
        UUID to = stayer.groupId;
        QuarkusTransaction.requiringNew().run(() -> {
            history(mover, "nas-copy", "PASS", "2026-09-20T08:00:00Z");
            history(mover, null, "PASS", "2026-09-20T08:00:00Z");
            history(stayer, "nas-copy", "PASS", "2026-09-20T08:00:00Z");
            history(stayer, null, "PASS", "2026-09-20T08:00:00Z");
            history(mover, "nas-copy", "FAIL", "2026-10-10T00:00:00Z");
            history(mover, null, "FAIL", "2026-10-10T00:00:00Z");
        });
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body(Map.of("groupId", to.toString()))
                .post("/api/practices/{id}/move", mover.id).then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("update audit_log set occurred_at = ?1 where action = 'practice.moved' and practice_id = ?2")
                    .setParameter(1, Instant.parse("2026-10-16T00:00:00Z")).setParameter(2, mover.id).executeUpdate();
            historyIn(to, mover, "nas-copy", "PASS", "2026-10-21T00:00:00Z");
            historyIn(to, mover, null, "PASS", "2026-10-21T00:00:00Z");
        });
        String oldGroup = "/api/groups/" + from + "/compliance/report";
        String newGroup = "/api/groups/" + to + "/compliance/report";

        JsonPath old = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(oldGroup).then().statusCode(200)
                .body("practices", equalTo(1)).extract().jsonPath();
        List<Map<String, Object>> oldDays = old.getList("days");
        assertThat(rules(oldDays, 9)).containsExactly(Map.entry("nas-copy", 1.0f));
        assertThat(rules(oldDays, 15)).containsExactly(Map.entry("nas-copy", 0.0f));
        assertThat(rules(oldDays, 16)).as("the practice left on 16 Oct").isEmpty();
        assertThat(oldDays.get(15).get("overall")).isNull();
        assertThat(old.getList("failures.practiceName", String.class)).containsExactly(mover.name);
        assertThat(old.getList("failures.failingFor", String.class)).as("10 to 16 Oct").containsExactly("PT144H");
        assertThat(old.getList("failures.stillFailing", Boolean.class)).containsExactly(false);
        assertThat(old.getList("objectives.practiceName", String.class)).as("no longer the group's at the month's end").isEmpty();

        JsonPath now = given().auth().oauth2(Tokens.of("alice")).queryParam("month", OCTOBER).get(newGroup).then().statusCode(200)
                .body("practices", equalTo(2)).extract().jsonPath();
        List<Map<String, Object>> newDays = now.getList("days");
        assertThat(rules(newDays, 15)).as("the stayer alone").containsExactly(Map.entry("nas-copy", 1.0f));
        assertThat(rules(newDays, 16)).as("the mover came failing").containsExactly(Map.entry("nas-copy", 0.5f));
        assertThat(newDays.get(15)).containsEntry("overall", 0.5f);
        assertThat(rules(newDays, 21)).containsExactly(Map.entry("nas-copy", 1.0f));
        assertThat(now.getList("failures.practiceName", String.class)).containsExactly(mover.name);
        assertThat(now.getList("failures.failingFor", String.class)).as("16 to 21 Oct").containsExactly("PT120H");
        assertThat(now.getList("objectives.practiceName", String.class)).containsExactlyInAnyOrder(mover.name, stayer.name);

        given().auth().oauth2(Tokens.of("alice")).queryParam("month", "2026-11").get(oldGroup).then().statusCode(200)
                .body("practices", equalTo(0)).body("failures", org.hamcrest.Matchers.empty());
        JsonPath november = given().auth().oauth2(Tokens.of("alice")).queryParam("month", "2026-11").get(newGroup).then().statusCode(200)
                .body("practices", equalTo(2)).extract().jsonPath();
        assertThat(rules(november.getList("days"), 1)).containsExactly(Map.entry("nas-copy", 1.0f));
        given().auth().oauth2(Tokens.of("alice")).queryParam("month", "2026-09").get(newGroup).then().statusCode(200)
                .body("practices", equalTo(1)).body("objectives.practiceName", contains(stayer.name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rules(List<Map<String, Object>> days, int dayOfMonth) {
        return (Map<String, Object>) days.get(dayOfMonth - 1).get("rules");
    }

    /** As {@link #history}, in the group the practice was in then. */
    private void historyIn(UUID groupId, Practice practice, String ruleId, String status, String changedAt) {
        Practice then = new Practice();
        then.id = practice.id;
        then.providerId = practice.providerId;
        then.groupId = groupId;
        history(then, ruleId, status, changedAt);
    }

    /** ruleId null: the practice's overall state (bound as '', since a bare null parameter has no type for PostgreSQL). */
    private void history(Practice practice, String ruleId, String status, String changedAt) {
        entityManager.createNativeQuery("""
                insert into compliance_history (provider_id, group_id, practice_id, rule_id, status, reason, changed_at, policy_version)
                values (?1, ?2, ?3, nullif(?4, ''), ?5, 'as the test has it', ?6, 0)""")
                .setParameter(1, practice.providerId).setParameter(2, practice.groupId).setParameter(3, practice.id)
                .setParameter(4, ruleId == null ? "" : ruleId).setParameter(5, status).setParameter(6, Instant.parse(changedAt))
                .executeUpdate();
    }
}
