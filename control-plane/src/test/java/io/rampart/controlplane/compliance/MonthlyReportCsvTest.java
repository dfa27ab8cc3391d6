package io.rampart.controlplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.compliance.ComplianceViews.RuleFailure;

/** The CSV a spreadsheet opens, and the names of the files people download. */
class MonthlyReportCsvTest {

    @Test
    void sharesInPercentWithRulesInPolicyOrderThenTheFailuresQuotedWhereNeeded() {
        Map<String, Double> second = new LinkedHashMap<>();
        second.put("nas-copy", 0.5);
        second.put("ups", 0.667);
        MonthlyReport report = report("Coastal", List.of(
                new ReportDay(LocalDate.of(2026, 10, 1), null, Map.of("ups", 1.0)),
                new ReportDay(LocalDate.of(2026, 10, 2), 0.667, second)),
                List.of(new RuleFailure(UUID.randomUUID(), "Smith, \"Jones\" & Partners", "nas-copy", Duration.ofMinutes(12 * 60 + 30), 2, true),
                        new RuleFailure(UUID.randomUUID(), "Beach Clinic", "ups", Duration.ofMinutes(3), 1, false)));

        assertThat(MonthlyReportCsv.write(report)).isEqualTo("""
                date,overall,nas-copy,ups\r
                2026-10-01,,,100.0\r
                2026-10-02,66.7,50.0,66.7\r
                \r
                practice,rule,failing for (hours),episodes,still failing\r
                "Smith, ""Jones"" & Partners",nas-copy,12.5,2,yes\r
                Beach Clinic,ups,0.1,1,no\r
                """);
    }

    @Test
    void aMonthWithoutDataStillHasBothHeaders() {
        assertThat(MonthlyReportCsv.write(report("Empty", List.of(), List.of())))
                .isEqualTo("date,overall\r\n\r\npractice,rule,failing for (hours),episodes,still failing\r\n");
    }

    @Test
    void aPracticeNameThatLooksLikeAFormulaIsMadeInertForSpreadsheets() {
        RuleFailure failure = new RuleFailure(UUID.randomUUID(), "=HYPERLINK(\"http://evil.example\")", "nas-copy", Duration.ofHours(3),
                1, false);
        assertThat(MonthlyReportCsv.write(report("Coast", List.of(), List.of(failure))))
                .endsWith("\"'=HYPERLINK(\"\"http://evil.example\"\")\",nas-copy,3.0,1,no\r\n");
    }

    @Test
    void theFileIsNamedAfterTheGroupInPlainLettersAndTheMonth() {
        assertThat(GroupComplianceResource.fileName(report("Côte Médicale, \"North\" & Co.", List.of(), List.of()), "pdf"))
                .isEqualTo("rampart-cote-medicale-north-co-2026-10.pdf");
        assertThat(GroupComplianceResource.slug("!!!")).isEqualTo("group");
    }

    private static MonthlyReport report(String groupName, List<ReportDay> days, List<RuleFailure> failures) {
        return new MonthlyReport(UUID.randomUUID(), groupName, YearMonth.of(2026, 10), Instant.parse("2026-10-01T00:00:00Z"),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T08:00:00Z"), 2, days, failures, List.of(), List.of());
    }
}
