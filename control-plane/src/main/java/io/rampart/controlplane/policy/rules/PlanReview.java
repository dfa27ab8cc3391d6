package io.rampart.controlplane.policy.rules;

import java.time.Instant;

/** The latest review of the practice's documented backup procedure, by a person. */
public record PlanReview(String reviewedBy, Instant reviewedAt) {
}
