package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.rampart.agent.ThisComputer;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;

/**
 * How the agent judges the locks it finds in a repository, the same way for restic and borg: a lock is the agent's
 * own when its holder is this host and user and a process the agent started ({@link RepositoryMemory}) at about the
 * lock's time; it is stale when that process no longer runs (restic also counts any lock older than 30 minutes as
 * stale: a running restic refreshes its lock every 5 minutes, see restic's internal/restic/lock.go). Only stale
 * locks of the agent's own are removed; a stale lock of someone else's is reported with its age, its holder and
 * what to run.
 */
public final class RepositoryLocks {

    /** restic's staleTimeout (internal/restic/lock.go). */
    public static final Duration RESTIC_STALE_AFTER = Duration.ofMinutes(30);
    /** Slack between a process's start time and the time in its lock (clock reads, refresh). */
    private static final Duration SLACK = Duration.ofMinutes(1);

    /**
     * A lock as the tool recorded it.
     *
     * @param id        restic: the lock's storage id; borg: the lock's file in the repository
     * @param username  empty when the tool does not record it (borg)
     * @param createdAt restic: the lock's time field; borg: the lock file's modification time
     */
    public record SeenLock(String id, boolean exclusive, String hostname, String username, long pid, Instant createdAt) {
    }

    private RepositoryLocks() {
    }

    /** Whether a lock's hostname is this computer (restic writes the kernel's host name; borg "name@node"). */
    public static boolean isThisHost(String hostname) {
        String name = hostname.contains("@") ? hostname.substring(0, hostname.indexOf('@')) : hostname;
        return thisHostNames().stream().anyMatch(own -> own.equalsIgnoreCase(name)
                || own.toLowerCase(java.util.Locale.ROOT).startsWith(name.toLowerCase(java.util.Locale.ROOT) + "."));
    }

    private static Set<String> thisHostNames() {
        Set<String> names = new TreeSet<>();
        names.add(ThisComputer.hostname());
        Optional.ofNullable(System.getenv("HOSTNAME")).ifPresent(names::add);
        try {
            // what os.Hostname() in Go and socket.gethostname() in Python return on Linux
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                names.add(Files.readString(kernel).strip());
            }
        } catch (IOException e) {
            // the other names are enough
        }
        return names;
    }

    /** Whether the process that holds a lock made on this host still runs (restic and borg ask the same with kill -0). */
    static boolean processRuns(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Whether one of the agent's own processes made this lock: this host and user, a pid the agent started, and a lock
     * time between that start and the end of its time limit ({@code longestRun}; restic refreshes its lock while it runs).
     */
    static boolean ours(SeenLock lock, List<RepositoryMemory.StartedRun> runs, Duration longestRun) {
        if (!isThisHost(lock.hostname())) {
            return false;
        }
        if (!lock.username().isEmpty() && !lock.username().equals(System.getProperty("user.name"))) {
            return false;
        }
        return runs.stream().anyMatch(run -> run.pid() == lock.pid()
                && !lock.createdAt().isBefore(run.startedAt().minus(SLACK))
                && !lock.createdAt().isAfter(run.startedAt().plus(longestRun).plus(SLACK)));
    }

    /**
     * Judges one lock.
     *
     * @param tool "restic" (a lock older than 30 min is stale wherever it was made) or "borg" (only a lock of a
     *             gone process on this host is stale: borg records no time and never judges other hosts' locks)
     * @param longestRun the tool's time limit plus the graces to stop it: a process's lock is no older than that
     */
    static RepositoryLockState judge(String tool, SeenLock lock, List<RepositoryMemory.StartedRun> runs, Duration longestRun,
            Instant now) {
        boolean gone = isThisHost(lock.hostname()) && !processRuns(lock.pid());
        boolean stale = gone || (tool.equals("restic") && Duration.between(lock.createdAt(), now).compareTo(RESTIC_STALE_AFTER) > 0);
        if (!stale) {
            return RepositoryLockState.REPOSITORY_LOCK_STATE_IN_USE;
        }
        return gone && ours(lock, runs, longestRun) ? RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OURS
                : RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OTHER;
    }

    static RepositoryLock proto(SeenLock lock, RepositoryLockState state, boolean removed) {
        return RepositoryLock.newBuilder().setId(lock.id().length() > 8 ? lock.id().substring(0, 8) : lock.id())
                .setExclusive(lock.exclusive()).setHostname(lock.hostname()).setUsername(lock.username()).setPid(lock.pid())
                .setCreatedAt(ProtoTime.timestamp(lock.createdAt())).setState(state).setRemoved(removed).build();
    }

    /**
     * A stale lock of someone else's in words: holder, age, what it blocks and what to run.
     * E.g. "a stale exclusive restic lock of PID 4242 (user backup) on host reception-pc, 3 h old, stops the next
     * backup: after making sure no backup is running on reception-pc, run restic unlock".
     */
    public static String describe(String tool, RepositoryLock lock, Instant now) {
        Duration age = Duration.between(ProtoTime.instant(lock.getCreatedAt()), now);
        String holder = "PID " + lock.getPid() + (lock.getUsername().isEmpty() ? "" : " (user " + lock.getUsername() + ")")
                + " on host " + lock.getHostname();
        String blocks;
        String fix;
        if (tool.equals("restic")) {
            blocks = lock.getExclusive() ? "stops the next backup" : "stops the next prune and repository check";
            fix = "after making sure no backup is running on " + lock.getHostname() + ", run restic unlock";
        } else {
            blocks = "stops the next backup unless borg runs again on " + lock.getHostname() + " (borg then removes it itself)";
            fix = "after making sure no borg runs on " + lock.getHostname() + ", run borg break-lock <repository>";
        }
        return "a stale " + (lock.getExclusive() ? "exclusive" : "shared") + " " + tool + " lock of " + holder + ", "
                + HumanDuration.of(age.isNegative() ? Duration.ZERO : age) + " old, " + blocks + ": " + fix;
    }
}
