package io.rampart.agent.collectors;

import java.time.Instant;

/**
 * A restore point of a repository: a restic snapshot or a borg archive.
 *
 * @param id    what the tool restores by: the restic snapshot id, the borg archive name
 * @param label how a summary names it: the short restic id, the borg archive name
 */
public record RepositorySnapshot(String id, String label, Instant time) {
}
