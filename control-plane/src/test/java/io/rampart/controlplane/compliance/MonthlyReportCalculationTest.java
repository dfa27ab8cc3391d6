package io.rampart.controlplane.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.compliance.ComplianceViews.ReportDay;
import io.rampart.controlplane.compliance.MonthOfHistory.FailingTime;
import io.rampart.controlplane.compliance.MonthOfHistory.StateChange;
import io.rampart.controlplane.shared.PracticeStatus;

/** The report's day shares and failing times, worked out from history rows alone. */
class MonthlyReportCalculationTest {

    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final Instant LONG_AFTER = Instant.parse("2027-03-01T00:00:00Z");

    @Test
    void aFinishedMonthRunsFromItsFirstInstantToTheNextMonthsAndHasEveryDay() {
        ReportMonth october = ReportMonth.of(OCTOBER, LONG_AFTER).orElseThrow();
        assertThat(october.from()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(october.to()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(october.days()).hasSize(31).first().isEqualTo(LocalDate.of(2026, 10, 1));
        assertThat(october.days()).last().isEqualTo(LocalDate.of(2026, 10, 31));
        assertThat(october.endOf(LocalDate.of(2026, 10, 31))).isEqualTo("2026-11-01T00:00:00Z");
    }

    @Test
    void theRunningMonthEndsNowWithTodayAsItsLastDayAndALaterMonthIsRefused() {
        Instant now = Instant.parse("2026-10-14T09:30:15.250Z");
        ReportMonth october = ReportMonth.of(OCTOBER, now).orElseThrow();
        assertThat(october.to()).isEqualTo("2026-10-14T09:30:15Z");
        assertThat(october.days()).hasSize(14).last().isEqualTo(LocalDate.of(2026, 10, 14));
        assertThat(october.endOf(LocalDate.of(2026, 10, 14))).isEqualTo(october.to());
        assertThat(ReportMonth.of(YearMonth.of(2026, 11), now)).isEmpty();
        assertThat(ReportMonth.parse("2026-11")).contains(YearMonth.of(2026, 11));
        assertThat(ReportMonth.parse("nope")).isEmpty();
        assertThat(ReportMonth.parse("2026-13")).isEmpty();
    }

    @Test
    void eachDayTakesTheStatesAtItsEndAndLeavesOutARuleNobodyHasAStateForYet() {
        MonthOfHistory history = october(
                List.of(at(A, "nas-copy", PracticeStatus.PASS), at(B, "nas-copy", PracticeStatus.PASS), at(A, null, PracticeStatus.PASS),
                        at(B, null, PracticeStatus.PASS), at(C, null, PracticeStatus.AT_RISK)),
                List.of(change(A, "nas-copy", PracticeStatus.FAIL, "2026-10-03T12:00:00Z"),
                        change(A, null, PracticeStatus.FAIL, "2026-10-03T12:00:00Z"),
                        change(A, "nas-copy", PracticeStatus.PASS, "2026-10-05T12:00:00Z"),
                        change(A, null, PracticeStatus.PASS, "2026-10-05T12:00:00Z"),
                        // AT_RISK and UNKNOWN count among the practices with a state, not among those passing
                        change(C, "ups", PracticeStatus.AT_RISK, "2026-10-20T08:00:00Z"),
                        change(A, "ups", PracticeStatus.PASS, "2026-10-21T08:00:00Z"),
                        change(B, "ups", PracticeStatus.UNKNOWN, "2026-10-21T09:00:00Z"),
                        // just before midnight counts for the day, at midnight for the next
                        change(B, "nas-copy", PracticeStatus.FAIL, "2026-10-25T23:59:59.999Z"),
                        change(B, "nas-copy", PracticeStatus.PASS, "2026-10-27T00:00:00Z")));

        List<ReportDay> days = history.days();

        assertThat(days).hasSize(31);
        assertThat(day(days, 2)).isEqualTo(new ReportDay(LocalDate.of(2026, 10, 2), 0.667, Map.of("nas-copy", 1.0)));
        assertThat(day(days, 3).rules()).containsExactly(Map.entry("nas-copy", 0.5));
        assertThat(day(days, 3).overall()).isEqualTo(0.333);
        assertThat(day(days, 4).rules()).containsExactly(Map.entry("nas-copy", 0.5));
        assertThat(day(days, 5).rules()).containsExactly(Map.entry("nas-copy", 1.0));
        assertThat(day(days, 5).overall()).isEqualTo(0.667);
        assertThat(day(days, 19).rules()).doesNotContainKey("ups");
        assertThat(day(days, 20).rules()).containsEntry("ups", 0.0);
        assertThat(day(days, 21).rules()).containsEntry("ups", 0.333);
        assertThat(day(days, 25).rules()).containsEntry("nas-copy", 0.5);
        assertThat(day(days, 26).rules()).containsEntry("nas-copy", 0.5);
        assertThat(day(days, 27).rules()).containsEntry("nas-copy", 1.0);
        assertThat(day(days, 27).rules().keySet()).as("policy order").containsExactly("nas-copy", "ups");
    }

    @Test
    void overallIsNullUntilAPracticeHasAnOverallState() {
        MonthOfHistory history = october(List.of(), List.of(change(A, null, PracticeStatus.PASS, "2026-10-02T10:00:00Z")));
        assertThat(day(history.days(), 1)).isEqualTo(new ReportDay(LocalDate.of(2026, 10, 1), null, Map.of()));
        assertThat(day(history.days(), 2).overall()).isEqualTo(1.0);
    }

    @Test
    void failingTimeCountsFailOnlyWithinTheMonthAndEveryEpisodeThatOverlapsIt() {
        MonthOfHistory history = october(
                List.of(at(A, "usb-rotation", PracticeStatus.FAIL), at(B, "ups", PracticeStatus.AT_RISK), at(A, null, PracticeStatus.FAIL)),
                List.of(change(A, "nas-copy", PracticeStatus.FAIL, "2026-10-03T12:00:00Z"),
                        change(A, "nas-copy", PracticeStatus.PASS, "2026-10-05T12:00:00Z"),
                        change(A, "usb-rotation", PracticeStatus.PASS, "2026-10-02T00:00:00Z"),
                        change(A, "usb-rotation", PracticeStatus.FAIL, "2026-10-10T00:00:00Z"),
                        // a FAIL with a new reason is the same episode going on
                        change(A, "usb-rotation", PracticeStatus.FAIL, "2026-10-10T06:00:00Z"),
                        change(A, "usb-rotation", PracticeStatus.UNKNOWN, "2026-10-11T00:00:00Z"),
                        change(A, "usb-rotation", PracticeStatus.FAIL, "2026-10-31T23:00:00Z"),
                        change(B, "ups", PracticeStatus.UNKNOWN, "2026-10-12T00:00:00Z")));

        assertThat(history.failures()).containsExactlyInAnyOrder(
                new FailingTime(A, "nas-copy", Duration.ofHours(48), 1, false),
                // 24 h carried in from September, 24 h from the 10th, the last hour of the month
                new FailingTime(A, "usb-rotation", Duration.ofHours(49), 3, true));
    }

    @Test
    void aMonthWithoutChangesKeepsTheStatesItBeganWith() {
        MonthOfHistory history = october(List.of(at(A, "cloud-copy", PracticeStatus.FAIL), at(B, "cloud-copy", PracticeStatus.PASS)), List.of());
        assertThat(history.days()).allSatisfy(day -> assertThat(day.rules()).containsExactly(Map.entry("cloud-copy", 0.5)));
        assertThat(history.failures()).containsExactly(new FailingTime(A, "cloud-copy", Duration.ofDays(31), 1, true));
    }

    @Test
    void aPracticeThatLeavesTheGroupCountsNeitherWayFromThenAndItsFailingEndsThere() {
        MonthOfHistory history = october(List.of(at(A, "nas-copy", PracticeStatus.PASS), at(B, "nas-copy", PracticeStatus.PASS)),
                List.of(change(A, "nas-copy", PracticeStatus.FAIL, "2026-10-10T00:00:00Z"),
                        change(A, "nas-copy", null, "2026-10-16T00:00:00Z"),
                        // back in the group, still failing: a new episode
                        change(A, "nas-copy", PracticeStatus.FAIL, "2026-10-30T00:00:00Z")));
        List<ReportDay> days = history.days();
        assertThat(day(days, 15).rules()).containsEntry("nas-copy", 0.5);
        assertThat(day(days, 16).rules()).as("B alone").containsEntry("nas-copy", 1.0);
        assertThat(day(days, 30).rules()).containsEntry("nas-copy", 0.5);
        assertThat(history.failures()).singleElement().satisfies(f -> {
            assertThat(f.failingFor()).isEqualTo(Duration.ofDays(6 + 2));
            assertThat(f.episodes()).isEqualTo(2);
            assertThat(f.stillFailing()).isTrue();
        });
        MonthOfHistory left = october(List.of(at(A, "nas-copy", PracticeStatus.FAIL)), List.of(change(A, "nas-copy", null,
                "2026-10-02T00:00:00Z")));
        assertThat(left.failures()).singleElement().satisfies(f -> {
            assertThat(f.failingFor()).isEqualTo(Duration.ofDays(1));
            assertThat(f.stillFailing()).as("not failing here at the month's end: it is not here").isFalse();
        });
        assertThat(day(left.days(), 2).rules()).isEmpty();
    }

    private static MonthOfHistory october(List<StateChange> atStart, List<StateChange> changes) {
        return new MonthOfHistory(ReportMonth.of(OCTOBER, LONG_AFTER).orElseThrow(), atStart, changes);
    }

    private static ReportDay day(List<ReportDay> days, int dayOfMonth) {
        return days.get(dayOfMonth - 1);
    }

    private static StateChange at(UUID practice, String rule, PracticeStatus status) {
        return new StateChange(practice, rule, status, Instant.parse("2026-10-01T00:00:00Z"));
    }

    private static StateChange change(UUID practice, String rule, PracticeStatus status, String at) {
        return new StateChange(practice, rule, status, Instant.parse(at));
    }
}
