package io.rampart.controlplane.compliance;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

import io.rampart.controlplane.alerts.AlertEmails;
import io.rampart.controlplane.compliance.ComplianceViews.LatestPlanReview;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.Objective;
import io.rampart.controlplane.compliance.ComplianceViews.PracticeObjectives;
import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.compliance.ComplianceViews.RuleFailure;

/**
 * The monthly report as an A4 PDF for a board: the day-by-day chart of the web page ({@link MonthlyReportPdfChart}),
 * then plain tables, the rules in words rather than ids.
 */
public final class MonthlyReportPdf {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 16);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 12);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 10);
    private static final Font HEADER = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
    private static final Font CELL = FontFactory.getFont(FontFactory.HELVETICA, 9);
    private static final Color HEADER_BACKGROUND = new Color(0xE8, 0xEC, 0xF0);

    private MonthlyReportPdf() {
    }

    public static byte[] write(MonthlyReport report) {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 48, 48, 48, 48);
        PdfWriter.getInstance(document, pdf);
        document.addTitle("Backup compliance — " + report.groupName() + ", " + MONTH.format(report.month()));
        document.addCreator("Rampart");
        document.open();
        document.add(new Paragraph("Backup compliance — " + report.groupName(), TITLE));
        document.add(new Paragraph(period(report), TEXT));
        document.add(new Paragraph("Generated " + WHEN.format(report.generatedAt()) + ". Practices in the group: " + report.practices() + ".",
                TEXT));
        chart(document, report);
        rules(document, report);
        failures(document, report.failures());
        objectives(document, report.objectives());
        planReviews(document, report.planReviews());
        document.close();
        return pdf.toByteArray();
    }

    private static String period(MonthlyReport report) {
        boolean wholeMonth = report.to().equals(report.month().plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        return MONTH.format(report.month()) + (wholeMonth ? "" : ", up to " + WHEN.format(report.to()));
    }

    private static void chart(Document document, MonthlyReport report) {
        Paragraph heading = new Paragraph(MonthlyReportPdfChart.TITLE, HEADING);
        heading.setSpacingBefore(16);
        heading.setKeepTogether(true);
        document.add(heading);
        MonthlyReportPdfChart.add(document, report);
    }

    private static void rules(Document document, MonthlyReport report) {
        heading(document, "Practices passing each rule",
                "The share of the practices with a state for the rule that passed it at the end of each day.");
        List<ReportDay> days = report.days();
        String lastDay = days.isEmpty() ? "Last day" : "On " + DAY.format(days.get(days.size() - 1).date());
        PdfPTable table = table(new float[] { 5, 2, 2 }, 1, "Rule", "Average of the days", lastDay);
        row(table, 1, "Every rule (the practice overall)", percent(average(days, ReportDay::overall)), percent(last(days, ReportDay::overall)));
        for (String rule : MonthOfHistory.rulesIn(days)) {
            Function<ReportDay, Double> share = day -> day.rules().get(rule);
            row(table, 1, AlertEmails.ruleTitle(rule), percent(average(days, share)), percent(last(days, share)));
        }
        document.add(table);
    }

    private static void failures(Document document, List<RuleFailure> failures) {
        heading(document, "Failures", "Time each practice spent failing a rule this month, and how many separate times it failed.");
        if (failures.isEmpty()) {
            document.add(new Paragraph("No practice failed a rule this month.", TEXT));
            return;
        }
        PdfPTable table = table(new float[] { 4, 4, 2, 1.5f, 1.5f }, 2, "Practice", "Rule", "Failing for", "Times", "Still failing");
        for (RuleFailure failure : failures) {
            row(table, 2, failure.practiceName(), AlertEmails.ruleTitle(failure.ruleId()), human(failure.failingFor()),
                    Integer.toString(failure.episodes()), failure.stillFailing() ? "yes" : "no");
        }
        document.add(table);
    }

    private static void objectives(Document document, List<PracticeObjectives> objectives) {
        heading(document, "Recovery objectives",
                "The newest restore test against the downtime objective, the newest database sync lag against the data-loss objective.");
        PdfPTable table = table(new float[] { 4, 2, 2, 1, 2, 2, 1 }, 1, "Practice", "Restore time", "Objective", "Met", "Sync lag",
                "Objective", "Met");
        for (PracticeObjectives practice : objectives) {
            Objective restore = practice.restoreTime();
            Objective lag = practice.syncLag();
            row(table, 1, practice.practiceName(), measured(restore), human(restore.objective()), met(restore), measured(lag),
                    human(lag.objective()), met(lag));
        }
        document.add(table);
    }

    private static void planReviews(Document document, List<LatestPlanReview> reviews) {
        heading(document, "Backup plan reviews", "The most recent review of each practice's written backup procedure.");
        PdfPTable table = table(new float[] { 4, 2, 3 }, 3, "Practice", "Reviewed", "By");
        for (LatestPlanReview review : reviews) {
            row(table, 3, review.practiceName(), review.reviewedAt() == null ? "never" : WHEN.format(review.reviewedAt()),
                    Objects.requireNonNullElse(review.reviewedBy(), ""));
        }
        document.add(table);
    }

    private static void heading(Document document, String title, String explanation) {
        Paragraph heading = new Paragraph(title, HEADING);
        heading.setSpacingBefore(16);
        document.add(heading);
        Paragraph text = new Paragraph(explanation, TEXT);
        text.setSpacingAfter(6);
        document.add(text);
    }

    /** A table whose header row repeats on every page it runs over. */
    private static PdfPTable table(float[] widths, int textColumns, String... headers) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);
        for (int i = 0; i < headers.length; i++) {
            table.addCell(cell(headers[i], true, i < textColumns));
        }
        return table;
    }

    /** The first {@code textColumns} values (names, rules) read from the left; the figures after them line up on the right. */
    private static void row(PdfPTable table, int textColumns, String... values) {
        for (int i = 0; i < values.length; i++) {
            table.addCell(cell(values[i], false, i < textColumns));
        }
    }

    private static PdfPCell cell(String text, boolean header, boolean leftAligned) {
        PdfPCell cell = new PdfPCell(new Phrase(text, header ? HEADER : CELL));
        cell.setPadding(4);
        cell.setHorizontalAlignment(leftAligned ? Element.ALIGN_LEFT : Element.ALIGN_RIGHT);
        if (header) {
            cell.setBackgroundColor(HEADER_BACKGROUND);
        }
        return cell;
    }

    private static Double average(List<ReportDay> days, Function<ReportDay, Double> share) {
        OptionalDouble average = days.stream().map(share).filter(Objects::nonNull).mapToDouble(Double::doubleValue).average();
        return average.isPresent() ? average.getAsDouble() : null;
    }

    private static Double last(List<ReportDay> days, Function<ReportDay, Double> share) {
        return days.isEmpty() ? null : share.apply(days.get(days.size() - 1));
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String measured(Objective objective) {
        return objective.measured() == null ? "not reported" : human(objective.measured());
    }

    private static String met(Objective objective) {
        return objective.met() == null ? "-" : objective.met() ? "yes" : "no";
    }

    /** "45 s", "12 min", "5 h 30 min", "3 d 4 h": exact enough for a board, shorter than ISO-8601. */
    static String human(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        long hours = minutes / 60;
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }
}
