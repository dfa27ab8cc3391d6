package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A copy that must be fresh: the worst of every check that is evidence for it. */
abstract class FreshCopyRule extends AbstractRule {

    private final String what;
    private final Thresholds.Freshness thresholds;
    private final List<String> checkIds;

    FreshCopyRule(String id, String what, Thresholds.Freshness thresholds, List<String> checkIds) {
        super(id);
        this.what = what;
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        return Verdicts.combine(id(), evidence.checks(checkIds).stream()
                .map(c -> Verdicts.freshness(id(), what, c, thresholds.maxAge(), thresholds.grace(), now)).toList());
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
