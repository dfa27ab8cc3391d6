package io.rampart.agent.collectors.database;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which transactions a PostgreSQL server has seen finish, as pg_current_snapshot() prints it: "xmin:xmax:xip,..."
 * (docs: "Transaction ID and Snapshot Information Functions"). On a standby the snapshot is the one replay has
 * built, so comparing the primary's snapshot with the standby's tells whether the standby lacks any transaction the
 * primary has finished: WAL without transactions (checkpoints, segment switches, running-transaction records) is no
 * data to lose, which keeps a quiet primary at night from showing a lag.
 *
 * @param xmax the first transaction id not yet finished or started (64-bit xid8, never wraps)
 * @param running the ids below xmax still in progress
 */
public record XidSnapshot(long xmin, long xmax, Set<Long> running) {

    /** @throws IllegalArgumentException when the text is not a snapshot */
    public static XidSnapshot parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a transaction snapshot: " + text);
        }
        try {
            Set<Long> running = parts[2].isBlank() ? Set.of()
                    : Arrays.stream(parts[2].split(",")).map(String::trim).map(Long::parseLong).collect(Collectors.toUnmodifiableSet());
            return new XidSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), running);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a transaction snapshot: " + text, e);
        }
    }

    /**
     * Whether this (a standby's) snapshot has seen finish every transaction that {@code primary} had seen finish:
     * none of the ids below the primary's xmax and not running there is still unfinished here.
     */
    public boolean hasFinishedAllOf(XidSnapshot primary) {
        for (Long id : running) {
            if (id < primary.xmax() && !primary.running().contains(id)) {
                return false;
            }
        }
        if (xmax >= primary.xmax()) {
            return true;
        }
        // ids from our xmax up to the primary's: finished there unless still running there
        long unseen = primary.xmax() - xmax;
        long stillRunning = primary.running().stream().filter(id -> id >= xmax && id < primary.xmax()).count();
        return stillRunning >= unseen;
    }
}
