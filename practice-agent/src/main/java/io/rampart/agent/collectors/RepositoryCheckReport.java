package io.rampart.agent.collectors;

/**
 * What {@code restic check} / {@code borg check} said.
 *
 * @param firstProblem the first line of the output that names a problem ("" when it passed)
 * @param output       the meaningful lines of the output, redacted and shortened
 * @param readPercent  the share of the data that was read back (0: structure only)
 */
public record RepositoryCheckReport(boolean passed, String firstProblem, String output, double readPercent) {

    static final int MAX_OUTPUT_CHARS = 4000;

    static String shorten(String text) {
        return text.length() <= MAX_OUTPUT_CHARS ? text : text.substring(0, MAX_OUTPUT_CHARS) + "\n...";
    }
}
