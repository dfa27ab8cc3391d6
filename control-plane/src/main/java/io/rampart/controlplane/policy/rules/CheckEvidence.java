package io.rampart.controlplane.policy.rules;

import java.time.Instant;

import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/** The latest result of one check of a practice (its observation proto) and when it was observed. */
public record CheckEvidence(String checkId, CheckResult result, Instant observedAt) {

    public CheckEvidence(CheckResult result, Instant observedAt) {
        this(result.getCheckId(), result, observedAt);
    }

    public CheckStatus status() {
        return result.getStatus();
    }

    public boolean failedToRun() {
        return result.getStatus() == CheckStatus.CHECK_STATUS_ERROR;
    }
}
