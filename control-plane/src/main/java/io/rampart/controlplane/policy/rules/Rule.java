package io.rampart.controlplane.policy.rules;

import java.time.Instant;

/** One rule of a group's policy, evaluated on what the projections know about a practice. Pure: no I/O. */
public interface Rule {

    String id();

    RuleVerdict evaluate(PracticeEvidence evidence, Instant now);
}
