package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import com.google.gson.JsonObject;

import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;

/**
 * The locks in a restic repository: {@code restic list locks --no-lock} (listing locks never locks) and
 * {@code restic cat lock <id> --no-lock} for each (JSON: time, exclusive, hostname, username, pid).
 *
 * <p>Stale locks of the agent's own are removed: in a local repository by deleting just that lock file
 * ({@code locks/<id>}); elsewhere with {@code restic unlock}, which removes every lock restic judges stale (older
 * than 30 min, or made on this host by a process that is gone), and so only when every such lock is the agent's own.
 * A stale lock of someone else's is left alone and reported.
 */
public final class ResticLocks {

    private static final Logger LOG = Logger.getLogger(ResticLocks.class.getName());
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final ResticRepository restic;
    private final RepositoryMemory memory;

    public ResticLocks(ResticRepository restic, RepositoryMemory memory) {
        this.restic = restic;
        this.memory = memory;
    }

    /**
     * Every lock in the repository, judged, with the agent's own stale ones removed.
     *
     * @throws RepositoryProblem when restic cannot list the locks at all
     */
    public List<RepositoryLock> inspectAndTidy(Instant now) throws RepositoryProblem {
        List<RepositoryLocks.SeenLock> seen = list();
        List<RepositoryMemory.StartedRun> runs = memory.startedRuns();
        List<RepositoryLocks.SeenLock> ours = new ArrayList<>();
        boolean othersStale = false;
        List<RepositoryLockState> states = new ArrayList<>();
        for (RepositoryLocks.SeenLock lock : seen) {
            RepositoryLockState state = RepositoryLocks.judge("restic", lock, runs, longestRun(), now);
            states.add(state);
            if (state == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OURS) {
                ours.add(lock);
            } else if (state == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OTHER) {
                othersStale = true;
            }
        }
        List<RepositoryLock> judged = new ArrayList<>();
        boolean unlockedAll = false;
        if (!ours.isEmpty() && restic.binding().localPath().isEmpty() && !othersStale) {
            // restic unlock removes every lock it judges stale; none of them is someone else's
            unlockedAll = restic.unlock();
        }
        for (int i = 0; i < seen.size(); i++) {
            RepositoryLocks.SeenLock lock = seen.get(i);
            boolean removed = false;
            if (states.get(i) == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OURS) {
                removed = unlockedAll || removeLocalLockFile(lock);
            }
            judged.add(RepositoryLocks.proto(lock, states.get(i), removed));
        }
        return judged;
    }

    private List<RepositoryLocks.SeenLock> list() throws RepositoryProblem {
        ExternalCommand.Outcome listing = restic.runForLocks(List.of("list", "locks", "--no-lock"), TIMEOUT);
        if (!listing.succeeded()) {
            // not seeing the locks is no verdict on the repository; restic check still refuses a locked repository itself
            LOG.warning("restic list locks failed for the repository set in " + restic.binding().repositoryProperty()
                    + (listing.timedOut() ? ": no answer within " + HumanDuration.of(TIMEOUT) : ""));
            return List.of();
        }
        List<RepositoryLocks.SeenLock> locks = new ArrayList<>();
        for (String line : listing.stdout().split("\\R")) {
            String id = line.strip();
            if (!id.matches("[0-9a-f]{64}")) {
                continue;
            }
            ExternalCommand.Outcome cat = restic.runForLocks(List.of("cat", "lock", id, "--no-lock"), TIMEOUT);
            if (!cat.succeeded()) {
                // removed by its holder meanwhile, or unreadable: restic itself ignores such locks
                continue;
            }
            try {
                JsonObject lock = ToolJson.object(ToolJson.parse(cat.stdout()));
                locks.add(new RepositoryLocks.SeenLock(id, ToolJson.flag(lock, "exclusive"), ToolJson.text(lock, "hostname"),
                        ToolJson.text(lock, "username"), ToolJson.number(lock, "pid"), Instant.parse(ToolJson.text(lock, "time"))));
            } catch (ToolJson.NotJson | DateTimeParseException e) {
                LOG.fine("restic lock " + id.substring(0, 8) + " cannot be read: " + e);
            }
        }
        return locks;
    }

    /** Only the one lock file, and only in a local repository, where restic's local backend keeps it as locks/<id>. */
    private boolean removeLocalLockFile(RepositoryLocks.SeenLock lock) {
        if (restic.binding().localPath().isEmpty()) {
            return false;
        }
        Path file = restic.binding().localPath().get().resolve("locks").resolve(lock.id());
        try {
            return Files.isRegularFile(file) && Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warning("cannot remove the agent's own stale restic lock " + lock.id().substring(0, 8) + ": " + e);
            return false;
        }
    }

    private java.time.Duration longestRun() {
        return restic.binding().timeout().plus(ExternalCommand.DEFAULT_INTERRUPT_GRACE).plus(ExternalCommand.DEFAULT_TERMINATE_GRACE);
    }
}
