package io.rampart.agent.collectors.ups;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsSelfTest;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;

/**
 * The agent's verdict on a classified {@link UpsObservation}: one part per condition, the runtime and the self-test,
 * each "UPS &lt;name&gt;: &lt;words&gt;" with a severity; the summary is every part when all pass, else the parts that
 * do not, worst first. The control plane's UpsRule judges the same observation the same way in the same words.
 */
public final class UpsJudgement {

    /** One part of the verdict. */
    public record Part(Severity severity, String words) {
    }

    /** PASS, WARN (at risk) or FAIL; ordered by weight. */
    public enum Severity {
        PASS, WARN, FAIL
    }

    /** Advice for a UPS whose driver reports no ups.test.result at all (e.g. blazer and most nutdrv_qx UPSes). */
    static final String NO_RESULTS = "; this UPS reports no self-test results (no ups.test.result), so no test can be proven: "
            + "test it by hand and record a policy exception";

    private final List<Part> parts;

    private UpsJudgement(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Judges the observation against the policy's thresholds.
     *
     * @param minRuntime runtime on battery the servers need to shut down; empty when the policy sets none
     * @param maxSelfTestAge how old the newest passed self-test may be; empty when the policy sets none
     * @param selfTestGrace how long after maxSelfTestAge a missing test is only at risk
     */
    public static UpsJudgement of(UpsObservation ups, Optional<Duration> minRuntime, Optional<Duration> maxSelfTestAge,
            Duration selfTestGrace, Instant now) {
        String name = "UPS " + ups.getUpsName() + ": ";
        List<Part> parts = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        for (UpsCondition condition : ups.getConditionsList()) {
            switch (condition.getSeverity()) {
                case UPS_CONDITION_SEVERITY_FAIL -> parts.add(new Part(Severity.FAIL, name + condition.getWords()));
                case UPS_CONDITION_SEVERITY_WARN -> parts.add(new Part(Severity.WARN, name + condition.getWords()));
                default -> notices.add(condition.getWords());
            }
        }
        boolean protectedNow = ups.getConditionsList().stream()
                .allMatch(c -> c.getSeverity() == UpsConditionSeverity.UPS_CONDITION_SEVERITY_NOTICE);
        if (protectedNow) {
            StringBuilder status = new StringBuilder(name + "online");
            notices.forEach(n -> status.append(", ").append(n));
            if (ups.getChargeReported()) {
                status.append(", charge ").append(Percent.of(ups.getChargePercent()));
            }
            parts.add(new Part(Severity.PASS, status.toString()));
        }

        Duration runtime = ProtoTime.duration(ups.getRuntime());
        if (minRuntime.isPresent()) {
            Duration need = minRuntime.get();
            if (!ups.getRuntimeReported()) {
                parts.add(new Part(Severity.WARN, name + "the UPS does not report its runtime, so the " + Span.of(need)
                        + " the servers need to shut down cannot be checked"));
            } else {
                parts.add(new Part(runtime.compareTo(need) < 0 ? Severity.FAIL : Severity.PASS,
                        name + "runtime on battery " + Span.of(runtime) + " (servers need " + Span.of(need) + " to shut down)"));
            }
        } else if (ups.getRuntimeReported()) {
            parts.add(new Part(Severity.PASS, name + "runtime on battery " + Span.of(runtime)));
        }

        UpsSelfTest latest = ups.getLatestSelfTest();
        switch (latest.getOutcome()) {
            case UPS_SELF_TEST_OUTCOME_FAILED -> parts.add(new Part(Severity.FAIL,
                    name + "self-test failed" + dated(latest, now) + source(latest) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_WARNING -> parts.add(new Part(Severity.WARN,
                    name + "self-test ended with a warning" + dated(latest, now) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_ABORTED -> parts.add(new Part(Severity.WARN,
                    name + "self-test aborted" + dated(latest, now) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_UNRECOGNIZED -> parts.add(new Part(Severity.WARN,
                    name + "self-test result not understood" + dated(latest, now) + ": \"" + latest.getResult() + "\""));
            default -> {
                // passed, none or in progress: the newest passed test below says what counts
            }
        }
        UpsSelfTest passed = ups.getLastPassedSelfTest();
        boolean hasPassed = ups.hasLastPassedSelfTest() && passed.hasAt();
        if (maxSelfTestAge.isPresent()) {
            Duration limit = maxSelfTestAge.get();
            String limitWords = " (limit " + Span.of(limit) + ")";
            Severity severity;
            String words;
            if (!hasPassed) {
                severity = Severity.FAIL;
                words = "no passed self-test on record" + limitWords;
            } else {
                Duration age = Duration.between(ProtoTime.instant(passed.getAt()), now);
                severity = grade(age, limit, selfTestGrace);
                if (passed.getTimeSource() == UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED
                        && severity == Severity.PASS) {
                    // its real age is unknown: it cannot prove the test is recent
                    severity = Severity.WARN;
                }
                words = "self-test passed" + dated(passed, now) + limitWords + source(passed);
            }
            if (severity != Severity.PASS) {
                words += latest.getOutcome() == UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS ? "; a self-test is running now"
                        : latest.getResult().isEmpty() ? NO_RESULTS : advice(ups.getSelfTestControl());
            }
            parts.add(new Part(severity, name + words));
        } else if (hasPassed) {
            parts.add(new Part(Severity.PASS, name + "self-test passed" + dated(passed, now) + source(passed)));
        }
        return new UpsJudgement(parts);
    }

    /** When a test ran, in words: " 3 days ago"; "" when unknown. */
    static String dated(UpsSelfTest test, Instant now) {
        if (!test.hasAt()) {
            return "";
        }
        if (test.getTimeSource() == UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED) {
            return " at a date the UPS does not report, before Rampart began watching "
                    + Span.of(Duration.between(ProtoTime.instant(test.getAt()), now)) + " ago";
        }
        return " " + Span.of(Duration.between(ProtoTime.instant(test.getAt()), now)) + " ago";
    }

    /** How Rampart knows when a test ran, in words: ", in a test Rampart started"; "" when the UPS dates it. */
    static String source(UpsSelfTest test) {
        return switch (test.getTimeSource()) {
            case UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART -> ", in a test Rampart started";
            case UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART -> ", dated when Rampart first saw the result (the UPS reports no date)";
            default -> "";
        };
    }

    static String advice(UpsSelfTestControl control) {
        return switch (control) {
            // a test run by hand is seen only when its result differs from the last one: Rampart running it is the sure way
            case UPS_SELF_TEST_CONTROL_NO_USER -> "; let Rampart run it: give it an upsd user with instcmds = test.battery.start.quick "
                    + "and a self-test window in checks.properties";
            case UPS_SELF_TEST_CONTROL_NO_WINDOW -> "; let Rampart run it: set its self-test window in checks.properties";
            case UPS_SELF_TEST_CONTROL_ALLOWED -> "; Rampart starts one in its next self-test window";
            case UPS_SELF_TEST_CONTROL_DENIED -> "; upsd refused Rampart's user the command test.battery.start.quick: "
                    + "add instcmds = test.battery.start.quick to that user in upsd.users";
            case UPS_SELF_TEST_CONTROL_NOT_SUPPORTED -> "; this UPS's NUT driver cannot start a self-test: run one from the UPS itself";
            default -> "";
        };
    }

    private static Severity grade(Duration value, Duration limit, Duration grace) {
        if (value.compareTo(limit) <= 0) {
            return Severity.PASS;
        }
        return value.compareTo(limit.plus(grace)) <= 0 ? Severity.WARN : Severity.FAIL;
    }

    public List<Part> parts() {
        return parts;
    }

    public Severity worst() {
        return parts.stream().map(Part::severity).max(Comparator.naturalOrder()).orElse(Severity.PASS);
    }

    /** The check's status: FAIL, WARN or PASS. */
    public CheckStatus status() {
        return switch (worst()) {
            case FAIL -> CheckStatus.CHECK_STATUS_FAIL;
            case WARN -> CheckStatus.CHECK_STATUS_WARN;
            case PASS -> CheckStatus.CHECK_STATUS_PASS;
        };
    }

    /** Every part when all pass; otherwise the parts that do not, worst first. */
    public String summary() {
        Severity worst = worst();
        List<Part> shown = worst == Severity.PASS ? parts
                : parts.stream().filter(p -> p.severity() != Severity.PASS)
                        .sorted(Comparator.comparing(Part::severity).reversed()).toList();
        return shown.stream().map(Part::words).distinct().collect(Collectors.joining("; "));
    }
}
