package io.rampart.controlplane.fleet;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * How an agent's check came out, as check_state and event_history store it: the protocol's CheckStatus without its
 * CHECK_STATUS_ prefix (the ingest refuses UNSPECIFIED and values it does not know, so these four are all there is;
 * V25 holds the columns to them).
 */
public enum CheckOutcome {
    PASS,
    /** Passing, but close to a threshold. */
    WARN,
    FAIL,
    /** The check could not be run (folder missing, permission denied). */
    ERROR;

    /** What the outcome means for the practice: WARN is at risk, ERROR is as bad as FAIL. */
    public PracticeStatus asPracticeStatus() {
        return switch (this) {
            case PASS -> PracticeStatus.PASS;
            case WARN -> PracticeStatus.AT_RISK;
            case FAIL, ERROR -> PracticeStatus.FAIL;
        };
    }
}
