package io.rampart.agent.schedule;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.FileOwner;
import io.rampart.protocol.agent.v1.CheckKind;

/**
 * The turn that checks opening restic or borg repositories take, one at a time on this computer: {@code restic check}
 * and {@code borg check} hold an exclusive repository lock, so a restore test or a second check beside them would only
 * meet that lock (and report it). The turn is held in this process (a semaphore) and across processes (an OS lock on
 * {@code repository-turn.lock} in the agent's home), so {@code rampart-agent check} run by a person never opens a
 * repository while the running service does, and the reverse. The OS lock ends with its process, so a killed command
 * never leaves a turn taken.
 */
public final class RepositoryTurn {

    /** The file whose OS lock is the turn, in the agent's home. */
    public static final String FILE = "repository-turn.lock";

    private static final Logger LOG = Logger.getLogger(RepositoryTurn.class.getName());
    private static final Set<CheckKind> KINDS = EnumSet.of(CheckKind.CHECK_KIND_RESTIC_REPOSITORY, CheckKind.CHECK_KIND_BORG_REPOSITORY,
            CheckKind.CHECK_KIND_RESTORE_TEST);

    private final Path file;
    private final Semaphore inThisProcess = new Semaphore(1);
    private FileChannel channel; // guarded by holding inThisProcess
    private FileLock lock;

    private RepositoryTurn(Path file) {
        this.file = file;
    }

    public static RepositoryTurn in(AgentHome home) {
        return new RepositoryTurn(home.directory().resolve(FILE));
    }

    /** Whether checks of this kind open a repository and so take turns (restic, borg, restore tests). */
    public static boolean takesTurns(CheckKind kind) {
        return KINDS.contains(kind);
    }

    /** Takes the turn if nobody on this computer has it; whether it did. Never waits. */
    public boolean tryTake() {
        if (!inThisProcess.tryAcquire()) {
            return false;
        }
        if (lockFile(false)) {
            return true;
        }
        inThisProcess.release();
        return false;
    }

    /** Takes the turn, waiting for whoever on this computer has it. */
    public void take() {
        inThisProcess.acquireUninterruptibly();
        lockFile(true);
    }

    /** Gives the turn back; only after {@link #tryTake()} returned true or {@link #take()}. */
    public void give() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        } finally {
            lock = null;
            channel = null;
            inThisProcess.release();
        }
    }

    /** false when another process has the turn; true when this one has it now (or the file cannot be locked at all). */
    private boolean lockFile(boolean wait) {
        try {
            FileOwner owner = FileOwner.of(file.getParent());
            boolean existed = file.toFile().exists();
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!existed) {
                owner.adopt(file); // run as root: the service must still be able to open it
            }
            lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                channel.close();
                channel = null;
                return false;
            }
            return true;
        } catch (OverlappingFileLockException e) {
            // another RepositoryTurn of this home in this JVM holds it (two agents of one home in one process)
            closeQuietly();
            return false;
        } catch (IOException e) {
            // a home the process may not write to: taking turns inside this process is all that is left
            LOG.warning("cannot lock " + file + " (" + e + "): repository checks of other agent processes may meet this one's lock");
            closeQuietly();
            return true;
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing held
        }
        channel = null;
        lock = null;
    }
}
