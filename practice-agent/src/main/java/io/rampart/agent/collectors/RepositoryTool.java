package io.rampart.agent.collectors;

import java.nio.file.Path;
import java.util.List;

/** restic or borg, as a repository collector and a restore test use them. */
public interface RepositoryTool {

    /** "restic 0.14.0", "borg 1.2.4". */
    String version() throws RepositoryProblem;

    /** All snapshots (archives), oldest first. */
    List<RepositorySnapshot> snapshots() throws RepositoryProblem;

    RepositoryCheckReport check(double readDataPercent) throws RepositoryProblem;

    /**
     * Restores one snapshot into target (an empty folder). A failing restore or failing verification by the tool
     * itself comes back as an unsuccessful outcome; a repository that cannot be opened as a problem.
     */
    ExternalCommand.Outcome restore(RepositorySnapshot snapshot, Path target) throws RepositoryProblem;

    RepositoryBinding binding();

    /**
     * What one snapshot holds, measured by the tool (restic: {@code restic stats --json --no-lock <id>} in
     * restore-size mode, folders counted with files; borg: {@code borg info --json <repo>::<archive>}, files only).
     * Walks the snapshot's tree, so the collector asks only for the latest snapshot and the one it is compared with.
     *
     * @throws RepositoryProblem when the tool cannot say (the summary then says the size is not known)
     */
    SnapshotSize size(RepositorySnapshot snapshot) throws RepositoryProblem;
}
