package io.rampart.agent.restore;

/**
 * How psql or pg_restore ended.
 *
 * @param exitCode the tool's exit code, -1 when it was stopped at its time limit
 * @param stdout   its standard output (at most 1 MiB)
 * @param stderr   its standard error (at most 1 MiB)
 * @param timedOut whether it was stopped at its time limit
 * @param feedFailure why feeding its standard input stopped early (a damaged .gz), empty when it did not
 */
record ToolRun(int exitCode, String stdout, String stderr, boolean timedOut, java.util.Optional<String> feedFailure) {
}
