package io.rampart.controlplane.compliance;

import java.awt.Color;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPCellEvent;
import com.lowagie.text.pdf.PdfPTable;

import io.rampart.controlplane.alerts.AlertEmails;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;

/**
 * The monthly report's day-by-day chart in the PDF, drawn in vector (rectangles, no image): the same
 * figures and series as the web page's chart (web-ui ReportPage, lib/report.ts {@code chartOf}) — the
 * share of the group's practices passing every rule, and each rule that was below 100 % on some day,
 * at the end of each day of {@link MonthlyReport#days()} (UTC days, as the web page and the report's
 * calculation, {@link ReportMonth}, have them) — in the web page's colours (the overall series black,
 * the rules in its Okabe–Ito order).
 * <p>
 * The web page draws one line per series over the others; on paper, in greyscale, lines at 100 % lie
 * on top of each other and the colours are lost. So here each series is a row of its own, named in
 * words on the left, with one column per day of the month: a bar as high as the share passing, outlined
 * in black in a frame that marks 100 %, a flat bar for 0 %, an en dash where no practice had a state
 * (no data), nothing for a day that has not begun. Nothing depends on colour alone. The header (the
 * day numbers and weekdays) repeats on every page the chart runs over; long rule names wrap.
 */
final class MonthlyReportPdfChart {

    static final String TITLE = "Share of practices passing, day by day";
    /** What an empty day cell says: no practice had a state for the rule that day. */
    static final String NO_DATA = "\u2013";
    static final String OVERALL = "Every rule (the practice overall)";
    /** The web page's line colours, in its order (ReportPage LINE_COLOURS); the overall series is black there and here. */
    static final List<Color> SERIES_COLOURS = List.of(new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73),
            new Color(0xD55E00), new Color(0x0072B2), new Color(0xCC79A7), new Color(0x7F7F7F), new Color(0x8C6D1F));
    static final Color OVERALL_COLOUR = Color.BLACK;
    /** The legend's samples: a grey no series has, so they never count as a day of the chart. */
    static final Color SAMPLE_COLOUR = new Color(0xA0A0A0);
    /** The frame of a day with data, which marks 100 %. */
    static final Color FRAME_COLOUR = new Color(0x606060);

    private static final Font HEADER = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 7);
    private static final Font DAY = FontFactory.getFont(FontFactory.HELVETICA, 6.5f);
    private static final Font LABEL = FontFactory.getFont(FontFactory.HELVETICA, 7.5f);
    private static final Font MARK = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 8.5f);
    private static final Color HEADER_BACKGROUND = new Color(0xE8, 0xEC, 0xF0);
    private static final Color WEEKEND_BACKGROUND = new Color(0xD5, 0xDB, 0xE2);
    private static final float BAR_HEIGHT = 16;
    private static final float ROW_HEIGHT = BAR_HEIGHT + 6;

    private MonthlyReportPdfChart() {
    }

    /** One row of the chart: its name in words, its colour, and its share (0..1, null: no data) on a day of the report. */
    record Series(String label, Color colour, Function<ReportDay, Double> share) {
    }

    /**
     * The rows the web page draws: the overall share always, then each rule (policy order) below 100 % on some
     * day, coloured by its place in that list as the web page colours its lines.
     */
    static List<Series> seriesOf(List<ReportDay> days) {
        List<Series> series = new ArrayList<>();
        series.add(new Series(OVERALL, OVERALL_COLOUR, ReportDay::overall));
        for (String rule : belowFullOnSomeDay(days)) {
            series.add(new Series(AlertEmails.ruleTitle(rule), SERIES_COLOURS.get((series.size() - 1) % SERIES_COLOURS.size()),
                    day -> day.rules().get(rule)));
        }
        return series;
    }

    private static List<String> belowFullOnSomeDay(List<ReportDay> days) {
        return MonthOfHistory.rulesIn(days).stream()
                .filter(rule -> days.stream().map(day -> day.rules().get(rule)).anyMatch(share -> share != null && share < 1))
                .toList();
    }

    /** Adds the chart's explanation, legend and table (rows of one cell per day of the month) to the document. */
    static void add(Document document, MonthlyReport report) {
        List<ReportDay> days = report.days();
        List<String> allRules = MonthOfHistory.rulesIn(days);
        int drawnRules = belowFullOnSomeDay(days).size();
        StringBuilder explanation = new StringBuilder("Each bar is the share of the practices with a state for the rule that passed it "
                + "at the end of the day (days in UTC, as on the web page); the table below has the figures.");
        if (drawnRules < allRules.size()) {
            explanation.append(' ').append(allRules.size() - drawnRules).append(" of ").append(allRules.size())
                    .append(allRules.size() == 1 ? " rule" : " rules")
                    .append(" had every practice passing on every day with data and are not drawn.");
        }
        document.add(new Paragraph(explanation.toString(), TEXT));
        document.add(legend());
        document.add(table(report, seriesOf(days)));
    }

    private static PdfPTable legend() {
        PdfPTable legend = new PdfPTable(new float[] { 1, 9, 1, 9 });
        legend.setWidthPercentage(100);
        legend.setSpacingBefore(4);
        legend.setSpacingAfter(6);
        legend.addCell(day(1.0, SAMPLE_COLOUR));
        legend.addCell(words("Full bar: every practice PASSES the rule (100 %)."));
        legend.addCell(day(0.5, SAMPLE_COLOUR));
        legend.addCell(words("Part bar: some pass; its height is the share passing (here 50 %)."));
        legend.addCell(day(0.0, SAMPLE_COLOUR));
        legend.addCell(words("Flat bar: no practice passes (0 %): they FAIL, are at risk or unknown."));
        legend.addCell(day(null, SAMPLE_COLOUR));
        legend.addCell(words("\u2013 No data: no practice had a state for the rule that day. Blank: the day has not begun."));
        return legend;
    }

    private static PdfPCell words(String text) {
        PdfPCell cell = new PdfPCell(new Phrase(text, LABEL));
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
        cell.setPaddingLeft(4);
        return cell;
    }

    private static PdfPTable table(MonthlyReport report, List<Series> series) {
        int length = report.month().lengthOfMonth();
        float[] widths = new float[length + 1];
        widths[0] = 0.3f * length; // the names take about 30 % of the width whatever the month's length
        for (int i = 1; i <= length; i++) {
            widths[i] = 1;
        }
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(2);
        table.setSplitRows(false);
        table.addCell(header("Rule", Element.ALIGN_LEFT, false));
        for (int day = 1; day <= length; day++) {
            table.addCell(header(Integer.toString(day), Element.ALIGN_CENTER, weekend(report.month().atDay(day))));
        }
        table.addCell(header("Day (UTC)", Element.ALIGN_LEFT, false));
        for (int day = 1; day <= length; day++) {
            LocalDate date = report.month().atDay(day);
            String weekday = date.getDayOfWeek().getDisplayName(TextStyle.NARROW, Locale.ENGLISH);
            table.addCell(header(weekday, Element.ALIGN_CENTER, weekend(date)));
        }
        Map<LocalDate, ReportDay> byDate = new HashMap<>();
        report.days().forEach(day -> byDate.put(day.date(), day));
        for (Series row : series) {
            PdfPCell name = new PdfPCell(new Phrase(row.label(), LABEL));
            name.setMinimumHeight(ROW_HEIGHT);
            name.setVerticalAlignment(Element.ALIGN_MIDDLE);
            name.setPadding(3);
            table.addCell(name);
            for (int day = 1; day <= length; day++) {
                ReportDay reported = byDate.get(report.month().atDay(day));
                table.addCell(reported == null ? notBegun() : day(row.share().apply(reported), row.colour()));
            }
        }
        return table;
    }

    private static boolean weekend(LocalDate date) {
        return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static PdfPCell header(String text, int alignment, boolean weekend) {
        PdfPCell cell = new PdfPCell(new Phrase(text, alignment == Element.ALIGN_LEFT ? HEADER : DAY));
        cell.setHorizontalAlignment(alignment);
        cell.setPadding(1.5f);
        cell.setBackgroundColor(weekend ? WEEKEND_BACKGROUND : HEADER_BACKGROUND);
        return cell;
    }

    private static PdfPCell notBegun() {
        PdfPCell cell = new PdfPCell(new Phrase(""));
        cell.setMinimumHeight(ROW_HEIGHT);
        return cell;
    }

    /** A day's cell: the dash for no data (text, so it prints and reads without colour), else a bar drawn on the page. */
    private static PdfPCell day(Double share, Color colour) {
        PdfPCell cell = new PdfPCell(new Phrase(share == null ? NO_DATA : "", MARK));
        cell.setMinimumHeight(ROW_HEIGHT);
        cell.setHorizontalAlignment(Element.ALIGN_CENTER);
        cell.setVerticalAlignment(Element.ALIGN_MIDDLE);
        cell.setPadding(0);
        if (share != null) {
            cell.setCellEvent(new Bar(share, colour));
        }
        return cell;
    }

    /**
     * Draws one day's bar in its cell, at the bottom: a grey frame as high as 100 %, inside it a bar of the series'
     * colour as high as the share (at least 1.2 pt, so that 0 % shows as a flat bar), outlined in black so that a light
     * colour still shows in greyscale print.
     */
    private record Bar(double share, Color colour) implements PdfPCellEvent {

        @Override
        public void cellLayout(PdfPCell cell, Rectangle position, PdfContentByte[] canvases) {
            PdfContentByte canvas = canvases[PdfPTable.LINECANVAS];
            float width = Math.min(position.getWidth() - 3, 9);
            float x = position.getLeft() + (position.getWidth() - width) / 2;
            float y = position.getBottom() + 3;
            float height = Math.min(BAR_HEIGHT, position.getHeight() - 6);
            canvas.saveState();
            canvas.setColorStroke(FRAME_COLOUR);
            canvas.setLineWidth(0.3f);
            canvas.rectangle(x, y, width, height);
            canvas.stroke();
            canvas.setColorFill(colour);
            canvas.setColorStroke(Color.BLACK);
            canvas.setLineWidth(0.4f);
            canvas.rectangle(x, y, width, Math.max(1.2f, (float) (Math.max(0, Math.min(1, share)) * height)));
            canvas.fillStroke();
            canvas.restoreState();
        }
    }
}
