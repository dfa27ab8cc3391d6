package io.rampart.controlplane.policy.document;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rampart.controlplane.policy.rules.Rule;

/**
 * A policy: for each of the eleven rules whether it is on and its thresholds. Only
 * {@link PolicyReader} and {@link #reference()} make one, so a document is always valid.
 */
public record PolicyDocument(Map<String, RuleSetting> rules) {

    public PolicyDocument {
        // kept in the reference policy's order, so documents read and compare the same way every time
        Map<String, RuleSetting> ordered = new LinkedHashMap<>();
        for (RuleKind<?> kind : RuleKinds.ALL) {
            RuleSetting setting = rules.get(kind.id());
            if (setting == null) {
                throw new IllegalArgumentException("a policy sets every rule; " + kind.id() + " is missing");
            }
            ordered.put(kind.id(), setting);
        }
        rules = java.util.Collections.unmodifiableMap(ordered);
    }

    /** The reference policy of DESIGN.md: every rule on, with its default thresholds. The policy of a new group. */
    public static PolicyDocument reference() {
        Map<String, RuleSetting> rules = new LinkedHashMap<>();
        RuleKinds.ALL.forEach(kind -> rules.put(kind.id(), new RuleSetting(true, kind.defaults())));
        return new PolicyDocument(rules);
    }

    /** The enabled rules with this policy's thresholds, in the reference order, ready for evaluation. */
    public List<Rule> rulesToEvaluate() {
        return RuleKinds.ALL.stream()
                .filter(kind -> rules.get(kind.id()).enabled())
                .map(kind -> kind.rule(rules.get(kind.id()).thresholds()))
                .toList();
    }
}
