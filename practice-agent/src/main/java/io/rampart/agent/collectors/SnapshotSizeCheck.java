package io.rampart.agent.collectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.RepositoryObservation;
import io.rampart.protocol.agent.v1.RepositorySettings;

/**
 * The size rules folders have, for repositories: the latest snapshot must not be empty (an unmounted share backs
 * up as an empty folder, and restic and borg store that happily), must hold at least {@code min_size_bytes}, and at
 * least {@code min_size_ratio} of the bytes and of the files of the snapshot before it. The snapshot before it is
 * the newest earlier one of the same restic host and paths (a weekly /etc snapshot is not compared with the nightly
 * share); for borg, whose listing does not say what an archive holds, the newest of the few archives before it whose
 * borg info names the same host and paths. Only these snapshots are measured: restic's own summary when both carry
 * one (restic 0.17+), else the tool's count ({@link RepositoryTool#size}). The control plane's rule (Verdicts) says the same in the same words.
 */
final class SnapshotSizeCheck {

    /**
     * @param problems    what fails, in a person's words ("latest snapshot 1a2b3c4d is empty: ...")
     * @param description for a passing summary: "it holds 3 files, 97.7 KB (previous 9f8e7d6c: 3 files, 97.7 KB)"
     */
    record Outcome(List<String> problems, String description) {
    }

    /** How many earlier borg archives are measured to find one of the same job: each is a borg info. */
    static final int MEASURED_CANDIDATES = 3;

    private SnapshotSizeCheck() {
    }

    /**
     * Measures and judges the latest of {@code dated} (oldest first, none dated in the future, at least one), and
     * records the numbers and limits in the observation.
     */
    static Outcome judge(RepositoryTool tool, String noun, List<RepositorySnapshot> dated, RepositorySettings policy,
            RepositoryObservation.Builder observation) {
        RepositorySnapshot latest = dated.get(dated.size() - 1);
        long minBytes = Math.max(1, policy.getMinSizeBytes());
        double ratio = Math.max(0, policy.getMinSizeRatio());
        observation.setMinSizeBytes(minBytes).setMinSizeRatio(ratio);
        Optional<RepositorySnapshot> previous;
        SnapshotSize latestSize;
        Optional<SnapshotSize> previousSize;
        try {
            if (latest.source().isEmpty()) {
                // borg: only borg info says what an archive holds, so earlier archives are measured until one matches
                latestSize = tool.size(latest);
                previous = Optional.empty();
                previousSize = Optional.empty();
                for (int i = dated.size() - 2; i >= Math.max(0, dated.size() - 1 - MEASURED_CANDIDATES); i--) {
                    SnapshotSize candidate = tool.size(dated.get(i));
                    if (candidate.source().equals(latestSize.source())) {
                        previous = Optional.of(dated.get(i));
                        previousSize = Optional.of(candidate);
                        break;
                    }
                }
            } else {
                previous = previous(dated);
                // restic's own summary only when both have one: its files-only count must not meet stats' files and folders
                if (latest.summary().isPresent() && previous.map(p -> p.summary().isPresent()).orElse(true)) {
                    latestSize = latest.summary().get();
                    previousSize = previous.flatMap(RepositorySnapshot::summary);
                } else {
                    latestSize = tool.size(latest);
                    previousSize = previous.isPresent() ? Optional.of(tool.size(previous.get())) : Optional.empty();
                }
            }
        } catch (RepositoryProblem e) {
            // the other checks still stand; a size nobody could read is no verdict on the backup
            return new Outcome(List.of(), "its size is not known (" + e.getMessage() + ")");
        }
        Optional<RepositorySnapshot> before = previous;
        before.ifPresent(p -> observation.setPreviousSnapshotId(p.id()).setPreviousSnapshotAt(ProtoTime.timestamp(p.time())));
        observation.setLatestSizeBytes(latestSize.bytes()).setLatestFileCount(latestSize.files())
                .setFileCountIncludesFolders(latestSize.filesIncludeFolders());
        previousSize.ifPresent(p -> observation.setPreviousSizeBytes(p.bytes()).setPreviousFileCount(p.files()));
        String comparison = previousSize.map(p -> "previous " + before.get().label() + ": " + p.describe())
                .orElse(dated.size() == 1 ? "the first " + noun + ", nothing to compare with"
                        : "no earlier " + noun + " of the same paths to compare with");
        return new Outcome(problems(noun + " " + latest.label(), latestSize, before.map(RepositorySnapshot::label), previousSize,
                minBytes, ratio), "it holds " + latestSize.describe() + " (" + comparison + ")");
    }

    /** The newest snapshot before the latest one that backed up the same thing. */
    static Optional<RepositorySnapshot> previous(List<RepositorySnapshot> dated) {
        RepositorySnapshot latest = dated.get(dated.size() - 1);
        for (int i = dated.size() - 2; i >= 0; i--) {
            if (dated.get(i).source().equals(latest.source())) {
                return Optional.of(dated.get(i));
            }
        }
        return Optional.empty();
    }

    /** The failures, worded as the control plane's rule words them. */
    static List<String> problems(String latest, SnapshotSize size, Optional<String> previousLabel, Optional<SnapshotSize> previous,
            long minBytes, double ratio) {
        List<String> problems = new ArrayList<>();
        if (size.empty()) {
            problems.add("latest " + latest + " is empty: " + size.describe()
                    + previous.map(p -> ", where the previous " + previousLabel.get() + " held " + p.describe()).orElse("")
                    + "; check that the folder or share it backs up is mounted");
            return problems;
        }
        if (size.bytes() < minBytes) {
            problems.add("latest " + latest + " holds only " + size.describe() + " (at least " + HumanDuration.ofBytes(minBytes)
                    + " expected)");
        }
        if (ratio > 0 && previous.isPresent()
                && (size.bytes() < ratio * previous.get().bytes() || size.files() < ratio * previous.get().files())) {
            problems.add("latest " + latest + " holds " + size.describe() + ", under " + BackupFolderCollector.share(ratio)
                    + " of the previous " + previousLabel.get() + " (" + previous.get().describe() + ")");
        }
        return problems;
    }
}
