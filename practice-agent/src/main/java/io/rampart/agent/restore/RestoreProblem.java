package io.rampart.agent.restore;

/** The restore could not be attempted (what to set, what is missing): the check result is ERROR with this message. */
public final class RestoreProblem extends Exception {

    private static final long serialVersionUID = 1L;

    public RestoreProblem(String message) {
        super(message);
    }
}
