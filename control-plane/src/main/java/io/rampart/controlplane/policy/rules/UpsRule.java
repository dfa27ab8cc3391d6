package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsSelfTest;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;
import io.rampart.protocol.agent.v1.UpsStatus;

/**
 * ups: each UPS (checks "ups", "ups-...") protects the servers, passed a self-test within 90 days, and its runtime on
 * battery covers the servers' clean shutdown (10 min by default, no grace). It judges the agent's classification
 * (UpsObservation conditions, self-tests, runtime_reported) and never re-reads NUT's ups.status or ups.test.result:
 * a condition the agent rates FAIL fails, WARN is at risk, NOTICE is shown with "online". The words are the agent's
 * (the agent's check summary reads the same, practice-agent's ups.UpsJudgement). Events of agents that did not yet
 * classify are judged by their coarse status, the runtime they carry and the agent's own verdict on the self-test.
 */
public final class UpsRule extends AbstractRule {

    public static final String ID = "ups";

    private final Thresholds.Ups thresholds;
    private final List<String> checkIds;

    public UpsRule() {
        this(Thresholds.Ups.DEFAULT);
    }

    public UpsRule(Thresholds.Ups thresholds) {
        this(thresholds, List.of(ID));
    }

    public UpsRule(Thresholds.Ups thresholds, List<String> checkIds) {
        super(ID);
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        List<RuleVerdict> parts = new ArrayList<>();
        for (CheckEvidence check : evidence.checks(checkIds)) {
            UpsObservation ups = check.result().getUps();
            String name = ups.getUpsName().isEmpty() ? "UPS" : "UPS " + ups.getUpsName();
            String summary = check.result().getSummary().isEmpty() ? "" : ": " + check.result().getSummary();
            if (ups.getStatus() == UpsStatus.UPS_STATUS_UNREACHABLE) {
                parts.add(RuleVerdict.fail(ID, name + " unreachable" + summary));
                continue;
            }
            if (check.failedToRun()) {
                parts.add(RuleVerdict.fail(ID, name + ": the check could not run" + summary));
                continue;
            }
            if (ups.getClassified()) {
                judge(ups, name + ": ", now, parts);
            } else {
                judgeUnclassified(check, ups, name, now, parts);
            }
        }
        return Verdicts.combine(ID, parts);
    }

    private void judge(UpsObservation ups, String name, Instant now, List<RuleVerdict> parts) {
        List<String> notices = new ArrayList<>();
        boolean protectedNow = true;
        for (UpsCondition condition : ups.getConditionsList()) {
            switch (condition.getSeverity()) {
                case UPS_CONDITION_SEVERITY_FAIL -> parts.add(RuleVerdict.fail(ID, name + condition.getWords()));
                case UPS_CONDITION_SEVERITY_WARN -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, name + condition.getWords()));
                default -> notices.add(condition.getWords());
            }
            protectedNow &= condition.getSeverity() == UpsConditionSeverity.UPS_CONDITION_SEVERITY_NOTICE;
        }
        if (protectedNow) {
            StringBuilder status = new StringBuilder(name + "online");
            notices.forEach(n -> status.append(", ").append(n));
            if (ups.getChargeReported()) {
                status.append(", charge ").append(percent(ups.getChargePercent()));
            }
            parts.add(RuleVerdict.pass(ID, status.toString()));
        }

        Duration need = thresholds.shutdownTime();
        if (!ups.getRuntimeReported()) {
            parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, name + "the UPS does not report its runtime, so the "
                    + Texts.span(need) + " the servers need to shut down cannot be checked"));
        } else {
            Duration runtime = Texts.duration(ups.getRuntime());
            parts.add(new RuleVerdict(ID, runtime.compareTo(need) < 0 ? PracticeStatus.FAIL : PracticeStatus.PASS,
                    name + "runtime on battery " + Texts.span(runtime) + " (servers need " + Texts.span(need) + " to shut down)"));
        }

        UpsSelfTest latest = ups.getLatestSelfTest();
        switch (latest.getOutcome()) {
            case UPS_SELF_TEST_OUTCOME_FAILED -> parts.add(RuleVerdict.fail(ID,
                    name + "self-test failed" + dated(latest, now) + source(latest) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_WARNING -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK,
                    name + "self-test ended with a warning" + dated(latest, now) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_ABORTED -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK,
                    name + "self-test aborted" + dated(latest, now) + ": " + latest.getResult()));
            case UPS_SELF_TEST_OUTCOME_UNRECOGNIZED -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK,
                    name + "self-test result not understood" + dated(latest, now) + ": \"" + latest.getResult() + "\""));
            default -> {
                // passed, none or in progress: the newest passed test says what counts
            }
        }
        UpsSelfTest passed = ups.getLastPassedSelfTest();
        Duration limit = thresholds.selfTestEvery();
        String limitWords = " (limit " + Texts.span(limit) + ")";
        PracticeStatus status;
        String words;
        if (!ups.hasLastPassedSelfTest() || !passed.hasAt()) {
            status = PracticeStatus.FAIL;
            words = "no passed self-test on record" + limitWords;
        } else {
            status = Verdicts.grade(Duration.between(Texts.instant(passed.getAt()), now), limit, thresholds.selfTestGrace());
            if (status == PracticeStatus.PASS
                    && passed.getTimeSource() == UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED) {
                // found on the agent's first look, at an unknown date: it cannot prove a recent test
                status = PracticeStatus.AT_RISK;
            }
            words = "self-test passed" + dated(passed, now) + limitWords + source(passed);
        }
        if (status != PracticeStatus.PASS) {
            words += latest.getOutcome() == UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS ? "; a self-test is running now"
                    // blazer and most nutdrv_qx UPSes report no ups.test.result: an exception is the way out
                    : latest.getResult().isEmpty() ? "; this UPS reports no self-test results (no ups.test.result), "
                            + "so no test can be proven: test it by hand and record a policy exception"
                    : advice(ups.getSelfTestControl());
        }
        parts.add(new RuleVerdict(ID, status, name + words));
    }

    /** Events of agents before the classification: the coarse status, the runtime if any, the agent's own self-test verdict. */
    private void judgeUnclassified(CheckEvidence check, UpsObservation ups, String name, Instant now, List<RuleVerdict> parts) {
        String charge = ups.getChargePercent() > 0 ? " (" + Math.round(ups.getChargePercent()) + " % charge)" : "";
        switch (ups.getStatus()) {
            case UPS_STATUS_ON_BATTERY -> parts.add(RuleVerdict.fail(ID, name + " on battery" + charge));
            case UPS_STATUS_LOW_BATTERY -> parts.add(RuleVerdict.fail(ID, name + " battery low" + charge));
            case UPS_STATUS_ONLINE -> parts.add(check.status() == CheckStatus.CHECK_STATUS_PASS
                    ? RuleVerdict.pass(ID, name + " online")
                    // the older agent saw more than its coarse status can say (e.g. a replace-battery flag)
                    : new RuleVerdict(ID, PracticeStatus.AT_RISK, name + " online, but its agent reported: " + check.result().getSummary()));
            default -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, name + " status not classified by its agent (\""
                    + ups.getRawStatus() + "\"): update the Rampart agent"));
        }
        if (ups.hasRuntime() && !Texts.duration(ups.getRuntime()).isZero()) {
            Duration runtime = Texts.duration(ups.getRuntime());
            parts.add(new RuleVerdict(ID, runtime.compareTo(thresholds.shutdownTime()) < 0 ? PracticeStatus.FAIL : PracticeStatus.PASS,
                    "runtime on battery " + Texts.span(runtime) + " (servers need " + Texts.span(thresholds.shutdownTime()) + " to shut down)"));
        } else {
            parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, name + " does not report its runtime, so the "
                    + Texts.span(thresholds.shutdownTime()) + " the servers need to shut down cannot be checked"));
        }
        if (ups.hasSelfTestAt() && check.status() != CheckStatus.CHECK_STATUS_FAIL) {
            Duration since = Duration.between(Texts.instant(ups.getSelfTestAt()), now);
            parts.add(new RuleVerdict(ID, Verdicts.grade(since, thresholds.selfTestEvery(), thresholds.selfTestGrace()),
                    "self-test " + Texts.span(since) + " ago (limit " + Texts.span(thresholds.selfTestEvery()) + ")"));
        } else if (check.status() == CheckStatus.CHECK_STATUS_FAIL) {
            parts.add(RuleVerdict.fail(ID, name + ": " + check.result().getSummary()));
        } else {
            parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, name + " self-test not dated by its agent: update the Rampart agent, "
                    + "which dates the self-tests of UPSes that do not"));
        }
    }

    /** When a test ran, in the agent's words (ups.UpsJudgement.dated). */
    private static String dated(UpsSelfTest test, Instant now) {
        if (!test.hasAt()) {
            return "";
        }
        String age = Texts.span(Duration.between(Texts.instant(test.getAt()), now));
        if (test.getTimeSource() == UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED) {
            return " at a date the UPS does not report, before Rampart began watching " + age + " ago";
        }
        return " " + age + " ago";
    }

    private static String source(UpsSelfTest test) {
        return switch (test.getTimeSource()) {
            case UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART -> ", in a test Rampart started";
            case UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART -> ", dated when Rampart first saw the result (the UPS reports no date)";
            default -> "";
        };
    }

    private static String advice(UpsSelfTestControl control) {
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

    private static String percent(double value) {
        return (value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
