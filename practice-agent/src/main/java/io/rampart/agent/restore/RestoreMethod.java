package io.rampart.agent.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.rampart.agent.config.LocalChecks;

/**
 * One way to restore the newest backup of a check into a scratch folder and verify it (restic restore,
 * borg extract, a folder copy, a database dump restore...). The {@link RestoreTestCollector} asks each
 * registered method in turn whether it can restore the source check, from that check's local settings.
 */
public interface RestoreMethod {

    /** As reported: "restic-restore", "borg-extract", "folder-copy", "postgresql-dump". */
    String name();

    /** Whether the source check's local settings ({@code check.<source>.*}) are ones this method restores from. */
    boolean supports(LocalChecks settings, String sourceCheckId);

    /** Where the source's backups are on this computer, if they are local: the scratch folder must not be in there. */
    default Optional<Path> sourceLocation(LocalChecks settings, String sourceCheckId) {
        return Optional.empty();
    }

    /**
     * How long the restore may hold a lock on the source's repository (its time limit), when it takes one: restic
     * restore and borg extract take a shared lock that would make the practice's own prune or backup fail, so such a
     * restore runs only outside the practice's backup window. Empty for methods that lock nothing.
     */
    default Optional<Duration> lockingTimeLimit(LocalChecks settings, String sourceCheckId) {
        return Optional.empty();
    }

    /**
     * Restores the newest backup into {@code scratch} (an empty folder, deleted by the caller afterwards) and
     * verifies what came back.
     *
     * @return what was restored and verified, or why verification failed (the check then fails)
     * @throws RestoreProblem when the restore could not be attempted (settings, password, tool missing): ERROR
     */
    Restored restore(LocalChecks settings, String sourceCheckId, Path scratch) throws RestoreProblem;
}
