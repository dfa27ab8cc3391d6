package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsStatus;

/**
 * ups: each UPS (checks "ups", "ups-...") is online (on battery, low battery or unreachable
 * fails), passed a self-test within 90 days, and its runtime on battery covers the servers'
 * clean shutdown (10 min by default, no grace).
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
            if (check.failedToRun() || ups.getStatus() == UpsStatus.UPS_STATUS_UNREACHABLE
                    || ups.getStatus() == UpsStatus.UPS_STATUS_UNSPECIFIED) {
                parts.add(RuleVerdict.fail(ID, name + " unreachable"));
                continue;
            }
            if (ups.getStatus() == UpsStatus.UPS_STATUS_ON_BATTERY) {
                parts.add(RuleVerdict.fail(ID, name + " on battery (" + Math.round(ups.getChargePercent()) + " % charge)"));
            } else if (ups.getStatus() == UpsStatus.UPS_STATUS_LOW_BATTERY) {
                parts.add(RuleVerdict.fail(ID, name + " battery low (" + Math.round(ups.getChargePercent()) + " % charge)"));
            } else {
                parts.add(RuleVerdict.pass(ID, name + " online"));
            }
            Duration runtime = Texts.duration(ups.getRuntime());
            parts.add(new RuleVerdict(ID, Verdicts.grade(thresholds.shutdownTime(), runtime, Duration.ZERO),
                    "runtime on battery " + Texts.span(runtime) + " (servers need " + Texts.span(thresholds.shutdownTime()) + " to shut down)"));
            String result = ups.getSelfTestResult().toLowerCase(Locale.ROOT);
            if (!ups.hasSelfTestAt()) {
                parts.add(RuleVerdict.fail(ID, name + " reports no self-test date"));
            } else if (!result.contains("pass") || result.contains("fail")) {
                parts.add(RuleVerdict.fail(ID, "last self-test did not pass: " + ups.getSelfTestResult()));
            } else {
                Duration since = Duration.between(Texts.instant(ups.getSelfTestAt()), now);
                parts.add(new RuleVerdict(ID, Verdicts.grade(since, thresholds.selfTestEvery(), thresholds.selfTestGrace()),
                        "self-test passed " + Texts.span(since) + " ago (limit " + Texts.span(thresholds.selfTestEvery()) + ")"));
            }
        }
        return Verdicts.combine(ID, parts);
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
