package io.rampart.controlplane.compliance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.compliance.ComplianceViews.RuleFailure;

/**
 * The monthly report as CSV for a spreadsheet (RFC 4180): the daily shares in percent, an empty
 * line, then the failures.
 */
public final class MonthlyReportCsv {

    private static final String CRLF = "\r\n";

    private MonthlyReportCsv() {
    }

    public static String write(MonthlyReport report) {
        List<String> rules = MonthOfHistory.rulesIn(report.days());
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("date", "overall"));
        header.addAll(rules);
        line(csv, header);
        for (ReportDay day : report.days()) {
            List<String> row = new ArrayList<>(List.of(day.date().toString(), percent(day.overall())));
            rules.forEach(rule -> row.add(percent(day.rules().get(rule))));
            line(csv, row);
        }
        csv.append(CRLF);
        line(csv, List.of("practice", "rule", "failing for (hours)", "episodes", "still failing"));
        for (RuleFailure failure : report.failures()) {
            line(csv, List.of(inert(failure.practiceName()), failure.ruleId(),
                    String.format(Locale.ROOT, "%.1f", failure.failingFor().getSeconds() / 3600.0),
                    Integer.toString(failure.episodes()), failure.stillFailing() ? "yes" : "no"));
        }
        return csv.toString();
    }

    private static String percent(Double share) {
        return share == null ? "" : String.format(Locale.ROOT, "%.1f", share * 100);
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            csv.append(i == 0 ? "" : ",").append(field(fields.get(i)));
        }
        csv.append(CRLF);
    }

    /**
     * A name a person typed, made inert for spreadsheets: one starting with =, +, - or @ would be
     * read as a formula when the board opens the file, so it gets a leading apostrophe (OWASP's advice).
     */
    private static String inert(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /** Quoted when it holds a comma, a quote or a line break, its quotes doubled (RFC 4180). */
    private static String field(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
