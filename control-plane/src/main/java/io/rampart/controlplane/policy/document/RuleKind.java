package io.rampart.controlplane.policy.document;

import java.util.List;
import java.util.function.Function;

import io.rampart.controlplane.policy.rules.Rule;

/**
 * One rule a policy document sets: its id, the record of its thresholds with the reference
 * defaults, which grace guards which limit, and how to build the rule from its thresholds.
 * The document's fields are the record's components, so a threshold added to the record is
 * in the document without more code.
 */
public record RuleKind<T extends Record>(String id, Class<T> thresholdsType, T defaults, Function<T, Rule> factory,
        List<Guard> guards) {

    /** A grace that must not be longer than the limit it extends. */
    public record Guard(String grace, String limit) {
    }

    public RuleKind {
        guards = List.copyOf(guards);
    }

    public Rule rule(Record thresholds) {
        return factory.apply(thresholdsType.cast(thresholds));
    }
}
