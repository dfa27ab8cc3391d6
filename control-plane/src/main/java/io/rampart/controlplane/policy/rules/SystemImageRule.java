package io.rampart.controlplane.policy.rules;

import java.util.List;

/** system-image: the newest system image is at most 26 h old (by default), from the check(s) "system-image". */
public final class SystemImageRule extends FreshCopyRule {

    public static final String ID = "system-image";

    public SystemImageRule() {
        this(Thresholds.Freshness.DEFAULT);
    }

    public SystemImageRule(Thresholds.Freshness thresholds) {
        this(thresholds, List.of(ID));
    }

    public SystemImageRule(Thresholds.Freshness thresholds, List<String> checkIds) {
        super(ID, "system image", thresholds, checkIds);
    }
}
