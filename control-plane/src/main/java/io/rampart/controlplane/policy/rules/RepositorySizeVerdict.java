package io.rampart.controlplane.policy.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.RepositoryObservation;

/**
 * The size of a repository's latest snapshot against the one before it, judged from the numbers the agent carries in
 * RepositoryObservation (latest/previous size and file count, and the limits it applied), in the agent's own words
 * ("latest snapshot 1a2b3c4d is empty: ..."): an empty snapshot is never a backup; one under min_size_bytes or under
 * min_size_ratio of the previous one's bytes or files fails. Events of agents that measured no size say nothing here.
 */
final class RepositorySizeVerdict {

    private static final Pattern RESTIC_ID = Pattern.compile("[0-9a-f]{64}");

    private RepositorySizeVerdict() {
    }

    /** A FAIL naming the numbers, or empty when the sizes are fine or unknown. */
    static Optional<RuleVerdict> judge(String ruleId, CheckResult result) {
        RepositoryObservation repository = result.getRepository();
        if (!repository.hasLatestSizeBytes() || !repository.hasLatestFileCount()) {
            return Optional.empty();
        }
        String noun = result.getKind() == CheckKind.CHECK_KIND_BORG_REPOSITORY ? "archive" : "snapshot";
        boolean folders = repository.getFileCountIncludesFolders();
        long bytes = repository.getLatestSizeBytes();
        long files = repository.getLatestFileCount();
        String latest = "latest " + noun + " " + label(repository.getLatestSnapshotId());
        boolean hasPrevious = repository.hasPreviousSizeBytes() && repository.hasPreviousFileCount();
        String previous = label(repository.getPreviousSnapshotId());
        List<String> problems = new ArrayList<>();
        if (bytes == 0 || files == 0) {
            problems.add(latest + " is empty: " + describe(bytes, files, folders)
                    + (hasPrevious ? ", where the previous " + previous + " held "
                            + describe(repository.getPreviousSizeBytes(), repository.getPreviousFileCount(), folders) : "")
                    + "; check that the folder or share it backs up is mounted");
        } else {
            long minBytes = Math.max(1, repository.getMinSizeBytes());
            if (bytes < minBytes) {
                problems.add(latest + " holds only " + describe(bytes, files, folders) + " (at least " + bytes(minBytes) + " expected)");
            }
            double ratio = repository.getMinSizeRatio();
            if (ratio > 0 && hasPrevious
                    && (bytes < ratio * repository.getPreviousSizeBytes() || files < ratio * repository.getPreviousFileCount())) {
                problems.add(latest + " holds " + describe(bytes, files, folders) + ", under " + share(ratio) + " of the previous "
                        + previous + " (" + describe(repository.getPreviousSizeBytes(), repository.getPreviousFileCount(), folders) + ")");
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(RuleVerdict.fail(ruleId, String.join("; ", problems)));
    }

    /** restic's short id (its first 8 hex digits), as restic and the agent print it; a borg archive by its name. */
    static String label(String id) {
        return RESTIC_ID.matcher(id).matches() ? id.substring(0, 8) : id;
    }

    /** "1,204 files, 3.2 GB"; restic stats' count holds folders too: "97.7 KB in 7 files and folders". */
    static String describe(long bytes, long files, boolean filesIncludeFolders) {
        String count = String.format(Locale.ROOT, "%,d", files);
        if (!filesIncludeFolders) {
            return count + (files == 1 ? " file, " : " files, ") + bytes(bytes);
        }
        if (bytes == 0) {
            return bytes(bytes) + " (only folders or empty files)";
        }
        return bytes(bytes) + " in " + count + (files == 1 ? " file or folder" : " files and folders");
    }

    /** "512 bytes", "97.7 KB", "3.2 GB": the agent's wording of sizes. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        String[] units = { "KB", "MB", "GB", "TB", "PB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** "half", "a quarter", "three quarters", else a percentage: the agent's wording of a share. */
    static String share(double ratio) {
        if (ratio == 0.5) {
            return "half";
        }
        if (ratio == 0.25) {
            return "a quarter";
        }
        if (ratio == 0.75) {
            return "three quarters";
        }
        return new java.math.BigDecimal(ratio * 100).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + "%";
    }
}
