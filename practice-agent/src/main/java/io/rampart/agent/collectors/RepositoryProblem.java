package io.rampart.agent.collectors;

/**
 * Why a repository could not be looked at (not bound, not there, wrong password, tool missing): the check
 * result is ERROR with this message, which names the property to set and never holds a secret.
 */
public final class RepositoryProblem extends Exception {

    private static final long serialVersionUID = 1L;

    public RepositoryProblem(String message) {
        super(message);
    }
}
