package io.rampart.controlplane.fleet;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.shared.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The overall status of a practice and the one sentence that explains it: silence first (an
 * agent that stopped calling in makes every other result stale), then failing checks, then
 * checks at risk.
 */
public record PracticeAssessment(PracticeStatus status, String reason) {

    /** The latest result of one check, as the assessment needs it. */
    public record CheckSnapshot(String checkId, CheckOutcome status, String summary) {
    }

    public static PracticeAssessment assess(Optional<Instant> lastSeen, List<CheckSnapshot> checks, Instant now, Duration silenceLimit) {
        if (lastSeen.isEmpty()) {
            return new PracticeAssessment(PracticeStatus.UNKNOWN, "No agent has reported yet");
        }
        Duration silence = Duration.between(lastSeen.get(), now);
        if (silence.compareTo(silenceLimit) > 0) {
            return new PracticeAssessment(PracticeStatus.FAIL,
                    "Agent silent for " + Durations.human(silence) + " (limit " + Durations.human(silenceLimit) + ")");
        }
        List<CheckSnapshot> failing = checks.stream().filter(c -> statusOf(c) == PracticeStatus.FAIL)
                .sorted(Comparator.comparing(CheckSnapshot::checkId)).toList();
        if (!failing.isEmpty()) {
            return new PracticeAssessment(PracticeStatus.FAIL, describe(failing));
        }
        List<CheckSnapshot> atRisk = checks.stream().filter(c -> statusOf(c) == PracticeStatus.AT_RISK)
                .sorted(Comparator.comparing(CheckSnapshot::checkId)).toList();
        if (!atRisk.isEmpty()) {
            return new PracticeAssessment(PracticeStatus.AT_RISK, describe(atRisk));
        }
        if (checks.isEmpty()) {
            return new PracticeAssessment(PracticeStatus.PASS, "Agent reporting; no check results yet");
        }
        return new PracticeAssessment(PracticeStatus.PASS, checks.size() == 1 ? "The check passes" : "All " + checks.size() + " checks pass");
    }

    /** A check's stored outcome as a practice status; UNKNOWN without one. */
    public static PracticeStatus statusOf(CheckSnapshot check) {
        return check.status() == null ? PracticeStatus.UNKNOWN : check.status().asPracticeStatus();
    }

    private static String describe(List<CheckSnapshot> checks) {
        CheckSnapshot first = checks.get(0);
        String more = checks.size() > 1 ? " (and " + (checks.size() - 1) + " more)" : "";
        return first.checkId() + ": " + first.summary() + more;
    }
}
