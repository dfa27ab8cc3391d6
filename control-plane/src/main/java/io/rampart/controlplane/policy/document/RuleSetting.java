package io.rampart.controlplane.policy.document;

/** How a policy sets one rule: switched on or off, and its thresholds (a record of {@code Thresholds}). */
public record RuleSetting(boolean enabled, Record thresholds) {
}
