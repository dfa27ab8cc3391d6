package io.rampart.controlplane.policy.rules;

import java.util.List;

/** cloud-copy: the newest cloud copy is at most 26 h old (by default), from the check(s) "cloud-copy". */
public final class CloudCopyRule extends FreshCopyRule {

    public static final String ID = "cloud-copy";

    public CloudCopyRule() {
        this(Thresholds.Freshness.DEFAULT);
    }

    public CloudCopyRule(Thresholds.Freshness thresholds) {
        this(thresholds, List.of(ID));
    }

    public CloudCopyRule(Thresholds.Freshness thresholds, List<String> checkIds) {
        super(ID, "cloud copy", thresholds, checkIds);
    }
}
