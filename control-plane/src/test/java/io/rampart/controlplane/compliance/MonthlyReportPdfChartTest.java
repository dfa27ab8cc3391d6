package io.rampart.controlplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.compliance.PdfDrawing.Box;

/**
 * The day-by-day chart in the real PDF, read back with PDFBox: its words, one cell per day of the month for
 * each series (counted as the bars drawn in the series' colour), the dash of a day without data, and the
 * header repeated when many rules run over pages.
 */
class MonthlyReportPdfChartTest {

    private static final int BLACK = 0x000000;
    private static final int ORANGE = 0xE69F00; // the web page's first rule colour
    private static final int SKY_BLUE = 0x56B4E9;
    private static final int SAMPLE = MonthlyReportPdfChart.SAMPLE_COLOUR.getRGB() & 0xFFFFFF;

    @ParameterizedTest(name = "{0} has {1} days")
    @CsvSource({ "2026-02, 28", "2028-02, 29", "2026-11, 30", "2026-03, 31", "2026-10, 31" })
    void aCellForEachDayOfTheMonthWithTheDaysNumberedAndTheirWeekdays(String month, int length) {
        // March and October 2026 change the clocks in Europe and North America; the report's days are UTC days,
        // so they are 31 whole days all the same, as on the web page
        YearMonth yearMonth = YearMonth.parse(month);
        PdfDrawing pdf = PdfDrawing.of(MonthlyReportPdf.write(report(yearMonth, everyDay(yearMonth, date -> day(date, 1.0, Map.of())))));

        assertThat(pdf.images).as("drawn in vector, no picture").isZero();
        assertThat(headerLines(pdf.pages.get(0))).containsExactly(dayNumbers(length));
        String weekdays = IntStream.rangeClosed(1, length)
                .mapToObj(day -> yearMonth.atDay(day).getDayOfWeek().getDisplayName(TextStyle.NARROW, Locale.ENGLISH))
                .collect(Collectors.joining(" "));
        assertThat(pdf.text()).contains("Day (UTC) " + weekdays);
        List<Box> overall = pdf.filled(BLACK);
        assertThat(overall).hasSize(length).allMatch(Box::stroked);
        assertThat(overall.stream().map(box -> Math.round(box.x())).distinct()).as("one column a day").hasSize(length);
        assertThat(overall.stream().map(box -> Math.round(box.y())).distinct()).as("one row").hasSize(1);
    }

    @Test
    void theChartHasItsTitleAndALegendThatSaysPassFailAndNoDataInWords() {
        YearMonth october = YearMonth.of(2026, 10);
        String text = PdfDrawing.of(MonthlyReportPdf.write(report(october, everyDay(october, date -> day(date, 1.0, Map.of()))))).text();

        assertThat(text).contains("Share of practices passing, day by day")
                .contains("Full bar: every practice PASSES the rule (100 %).")
                .contains("Part bar: some pass; its height is the share passing (here 50 %).")
                .contains("Flat bar: no practice passes (0 %): they FAIL, are at risk or unknown.")
                .contains("\u2013 No data: no practice had a state for the rule that day. Blank: the day has not begun.")
                .contains("Every rule (the practice overall)");
        assertThat(text.indexOf("Share of practices passing, day by day")).as("the chart comes before the tables")
                .isLessThan(text.indexOf("Practices passing each rule"));
    }

    @Test
    void aRuleBelowFullOnSomeDayHasARowInTheWebPagesColoursWithBarsAsHighAsTheShare() {
        YearMonth october = YearMonth.of(2026, 10);
        PdfDrawing pdf = PdfDrawing.of(MonthlyReportPdf.write(report(october, everyDay(october, date -> {
            double nas = switch (date.getDayOfMonth()) {
                case 2 -> 0.5;
                case 3 -> 0.0;
                default -> 1.0;
            };
            return day(date, Math.min(nas, 1.0), rules("nas-copy", nas, "ups", 1.0));
        }))));

        assertThat(pdf.text()).contains("Daily copy on the NAS")
                .contains("1 of 2 rules had every practice passing on every day with data and are not drawn.");
        List<Box> nas = pdf.filled(ORANGE);
        assertThat(nas).hasSize(31).allMatch(box -> box.stroked() && box.strokeRgb() == BLACK);
        assertThat(pdf.filled(SKY_BLUE)).as("the UPS rule, always at 100 %, is not drawn").isEmpty();
        List<Box> byDay = nas.stream().sorted((a, b) -> Double.compare(a.x(), b.x())).toList();
        double full = byDay.get(0).height();
        assertThat(byDay.get(1).height()).isCloseTo(full / 2, offset(0.01));
        assertThat(byDay.get(2).height()).as("0 %% is a flat bar, not nothing").isCloseTo(1.2, offset(0.01));
        assertThat(byDay.get(3).height()).isEqualTo(full);
    }

    @Test
    void aDayWithoutDataHasADashAndNoBar() {
        YearMonth november = YearMonth.of(2026, 11);
        PdfDrawing pdf = PdfDrawing.of(MonthlyReportPdf.write(report(november, everyDay(november, date -> {
            int day = date.getDayOfMonth();
            // no practice had an overall state before the 6th, none had one for the NAS copy before the 11th
            return day(date, day < 6 ? null : 0.5, day < 11 ? Map.of() : rules("nas-copy", 0.5));
        }))));

        assertThat(pdf.filled(BLACK)).hasSize(30 - 5);
        assertThat(pdf.filled(ORANGE)).hasSize(30 - 10);
        long dashes = pdf.text().chars().filter(c -> c == '\u2013').count();
        // two more: the legend's sample and its words
        assertThat(dashes).isEqualTo(5 + 10 + 2);
        assertThat(pdf.filled(SAMPLE)).as("the legend's three sample bars").hasSize(3);
    }

    @Test
    void whileTheMonthRunsTheDaysToComeAreBlankCells() {
        YearMonth november = YearMonth.of(2026, 11);
        List<ReportDay> twelve = IntStream.rangeClosed(1, 12).mapToObj(d -> day(november.atDay(d), 1.0, rules("nas-copy", 0.75))).toList();
        PdfDrawing pdf = PdfDrawing.of(MonthlyReportPdf.write(report(november, twelve)));

        assertThat(headerLines(pdf.pages.get(0))).containsExactly(dayNumbers(30));
        assertThat(pdf.filled(BLACK)).hasSize(12);
        assertThat(pdf.filled(ORANGE)).hasSize(12);
    }

    @Test
    void manyRulesRunOverPagesWithTheDaysRepeatedAtTheTopOfEachAndLongNamesInFull() {
        YearMonth october = YearMonth.of(2026, 10);
        // rules the reference policy no longer knows are named by their ids, which may be long and have no space to wrap at
        List<String> retired = IntStream.rangeClosed(1, 60)
                .mapToObj(i -> String.format("retired-rule-%02d-offsite-copy-of-the-imaging-archive-to-the-second-building", i)).toList();
        PdfDrawing pdf = PdfDrawing.of(MonthlyReportPdf.write(report(october, everyDay(october, date -> {
            Map<String, Double> shares = new LinkedHashMap<>();
            retired.forEach(rule -> shares.put(rule, date.getDayOfMonth() == 15 ? 0.5 : 1.0));
            return day(date, 0.5, shares);
        }))));

        List<Integer> chartPages = new ArrayList<>();
        for (int page = 1; page <= pdf.pages.size(); page++) {
            int p = page;
            if (pdf.boxes.stream().anyMatch(box -> box.page() == p && box.filled() && box.fillRgb() == ORANGE)) {
                chartPages.add(page);
            }
        }
        assertThat(chartPages).as("the chart runs over pages").hasSizeGreaterThan(1);
        for (int page : chartPages) {
            assertThat(headerLines(pdf.pages.get(page - 1))).as("page %d repeats the days", page).containsExactly(dayNumbers(31));
        }
        String joined = String.join("", pdf.pages).replaceAll("\\s+", "");
        assertThat(retired).allMatch(joined::contains);
        assertThat(pdf.chartBars()).hasSize(31 * 61);
        // the colours go round the web page's eight, as its lines do
        assertThat(pdf.filled(ORANGE)).hasSize(31 * 8);
    }

    private static List<String> headerLines(String page) {
        return page.lines().map(line -> line.strip().replaceAll("\\s+", " ")).filter(line -> line.startsWith("Rule 1 ")).toList();
    }

    private static String dayNumbers(int length) {
        return "Rule " + IntStream.rangeClosed(1, length).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    private static List<ReportDay> everyDay(YearMonth month, Function<LocalDate, ReportDay> day) {
        return IntStream.rangeClosed(1, month.lengthOfMonth()).mapToObj(d -> day.apply(month.atDay(d))).toList();
    }

    private static ReportDay day(LocalDate date, Double overall, Map<String, Double> rules) {
        return new ReportDay(date, overall, rules);
    }

    private static Map<String, Double> rules(Object... idsAndShares) {
        Map<String, Double> rules = new LinkedHashMap<>();
        for (int i = 0; i < idsAndShares.length; i += 2) {
            rules.put((String) idsAndShares[i], (Double) idsAndShares[i + 1]);
        }
        return rules;
    }

    private static MonthlyReport report(YearMonth month, List<ReportDay> days) {
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = days.size() == month.lengthOfMonth() ? month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                : days.get(days.size() - 1).date().atTime(12, 0).toInstant(ZoneOffset.UTC);
        return new MonthlyReport(UUID.randomUUID(), "Coastal Practices", month, from, to, to, 3, days, List.of(), List.of(), List.of());
    }
}
