package io.rampart.agent.explain;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.rampart.agent.collectors.ExternalCommand;

/**
 * Whether a tool the agent runs is installed, and which version, from the tool's own answer: {@code restic version}
 * ("restic 0.16.4 compiled with go1.22.2 on linux/amd64"), {@code borg --version} ("borg 1.2.8"),
 * {@code psql --version} ("psql (PostgreSQL) 15.10"), {@code pg_restore --version}, {@code upsc -V}.
 */
public final class ToolVersion {

    private static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    private ToolVersion() {
    }

    /** What a tool answers when asked its version, by the tool's name ("restic" takes "version", others "--version"). */
    public static List<String> versionCommand(String tool, String executable) {
        return switch (tool) {
            case "restic" -> List.of(executable, "version");
            case "upsc" -> List.of(executable, "-V");
            default -> List.of(executable, "--version");
        };
    }

    /**
     * The first line the tool printed when asked its version; empty when it is not installed (cannot be started).
     *
     * @throws IOException the tool started but did not answer as a working one does (exit code, time limit), saying so
     */
    public static Optional<String> of(String tool, String executable) throws IOException {
        ExternalCommand.Outcome outcome;
        try {
            outcome = ExternalCommand.of(versionCommand(tool, executable)).timeout(TIME_LIMIT).run();
        } catch (ExternalCommand.NotInstalledException e) {
            return Optional.empty();
        }
        String first = outcome.output().lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
        if (outcome.timedOut()) {
            throw new IOException(executable + " did not answer within " + TIME_LIMIT.toSeconds() + " s when asked its version");
        }
        if (!outcome.succeeded() || first.isEmpty()) {
            throw new IOException(executable + " failed when asked its version (exit code " + outcome.exitCode() + ")"
                    + (first.isEmpty() ? "" : ": " + first));
        }
        return Optional.of(first);
    }
}
