package io.rampart.controlplane.policy.rules;

import java.time.Instant;

/**
 * A documented exception to one rule for one practice: who approved it, why, and until when
 * (inclusive). While active it turns a failing, at-risk or unknown verdict into PASS.
 */
public record PolicyException(String ruleId, String reason, String approvedBy, Instant until) {

    public boolean activeAt(Instant now) {
        return !now.isAfter(until);
    }
}
