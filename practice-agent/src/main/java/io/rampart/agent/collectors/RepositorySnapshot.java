package io.rampart.agent.collectors;

import java.time.Instant;
import java.util.Optional;

/**
 * A restore point of a repository: a restic snapshot or a borg archive.
 *
 * @param id      what the tool restores by: the restic snapshot id, the borg archive name
 * @param label   how a summary names it: the short restic id, the borg archive name
 * @param time    when the tool says it was taken (restic {@code time}, borg {@code time}; either can be set by hand
 *                with {@code restic backup --time} or {@code borg create --timestamp}, so it may lie in the future)
 * @param source  what was backed up, for comparing like with like: restic's host and paths (the way
 *                {@code restic forget} groups snapshots by default); "" for borg, whose listing does not say
 * @param summary the size the tool recorded when it took the snapshot (restic 0.17+ {@code summary}); empty when
 *                the snapshot carries none (restic before 0.17, borg)
 */
public record RepositorySnapshot(String id, String label, Instant time, String source, Optional<SnapshotSize> summary) {

    public RepositorySnapshot(String id, String label, Instant time) {
        this(id, label, time, "", Optional.empty());
    }
}
