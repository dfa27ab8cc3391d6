package io.rampart.controlplane.policy.rules;

import java.util.List;

/** nas-copy: the newest NAS copy is at most 26 h old (by default), from the check(s) "nas-copy". */
public final class NasCopyRule extends FreshCopyRule {

    public static final String ID = "nas-copy";

    public NasCopyRule() {
        this(Thresholds.Freshness.DEFAULT);
    }

    public NasCopyRule(Thresholds.Freshness thresholds) {
        this(thresholds, List.of(ID));
    }

    public NasCopyRule(Thresholds.Freshness thresholds, List<String> checkIds) {
        super(ID, "NAS copy", thresholds, checkIds);
    }
}
