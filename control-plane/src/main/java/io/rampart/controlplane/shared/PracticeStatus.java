package io.rampart.controlplane.shared;

/** How a practice (or one of its rules) stands, worst last. */
public enum PracticeStatus {
    PASS,
    AT_RISK,
    UNKNOWN,
    FAIL;

    public PracticeStatus worse(PracticeStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
