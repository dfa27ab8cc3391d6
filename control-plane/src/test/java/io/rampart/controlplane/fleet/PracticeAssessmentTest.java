package io.rampart.controlplane.fleet;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.Durations;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.fleet.PracticeAssessment.CheckSnapshot;

class PracticeAssessmentTest {

    private static final Instant NOW = Instant.parse("2026-11-26T07:00:00Z");
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Test
    void isUnknownWhenNoAgentHasEverReported() {
        PracticeAssessment assessment = PracticeAssessment.assess(Optional.empty(), List.of(), NOW, LIMIT);
        assertThat(assessment.status()).isEqualTo(PracticeStatus.UNKNOWN);
        assertThat(assessment.reason()).isEqualTo("No agent has reported yet");
    }

    @Test
    void failsWhenTheAgentHasBeenSilentLongerThanTheLimitEvenIfEveryCheckPassed() {
        PracticeAssessment assessment = PracticeAssessment.assess(Optional.of(NOW.minus(Duration.ofMinutes(23))),
                List.of(new CheckSnapshot("nas-copy", CheckOutcome.PASS, "fine")), NOW, LIMIT);
        assertThat(assessment.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(assessment.reason()).isEqualTo("Agent silent for 23 min (limit 10 min)");
    }

    @Test
    void failsNamingTheFirstFailingCheckAndCountingTheOthers() {
        PracticeAssessment assessment = PracticeAssessment.assess(Optional.of(NOW.minusSeconds(30)), List.of(
                new CheckSnapshot("usb-copy", CheckOutcome.ERROR, "folder missing"),
                new CheckSnapshot("nas-copy", CheckOutcome.FAIL, "newest backup is 31 h old (limit 26 h)"),
                new CheckSnapshot("archive", CheckOutcome.PASS, "fine")), NOW, LIMIT);
        assertThat(assessment.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(assessment.reason()).isEqualTo("nas-copy: newest backup is 31 h old (limit 26 h) (and 1 more)");
    }

    @Test
    void isAtRiskWhenAWarningIsTheWorstResult() {
        PracticeAssessment assessment = PracticeAssessment.assess(Optional.of(NOW.minusSeconds(30)), List.of(
                new CheckSnapshot("nas-copy", CheckOutcome.WARN, "newest backup is 25 h old (limit 26 h)"),
                new CheckSnapshot("usb-copy", CheckOutcome.PASS, "fine")), NOW, LIMIT);
        assertThat(assessment.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(assessment.reason()).startsWith("nas-copy:");
    }

    @Test
    void passesWhenTheAgentReportsAndEveryCheckPasses() {
        PracticeAssessment assessment = PracticeAssessment.assess(Optional.of(NOW.minusSeconds(30)), List.of(
                new CheckSnapshot("nas-copy", CheckOutcome.PASS, "fine"), new CheckSnapshot("usb-copy", CheckOutcome.PASS, "fine")), NOW, LIMIT);
        assertThat(assessment).isEqualTo(new PracticeAssessment(PracticeStatus.PASS, "All 2 checks pass"));
    }

    @Test
    void saysDurationsTheWayAPersonWould() {
        assertThat(Durations.human(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(Durations.human(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
        assertThat(Durations.human(Duration.ofHours(52))).isEqualTo("2 d 4 h");
        assertThat(Durations.human(Duration.ofHours(24))).isEqualTo("1 d");
    }
}
