package io.rampart.agent.collectors;

import java.util.Locale;

/**
 * How much a snapshot holds: bytes it restores to (the files' sizes, before deduplication and compression) and
 * how many files. restic stats counts folders with the files ({@code filesIncludeFolders}); restic's snapshot
 * summary and borg's {@code nfiles} count files only.
 *
 * @param source what was backed up, when only the measurement tells it (borg info: the host and the paths after the
 *               archive on borg create's command line); "" when the listing already said it (restic)
 */
public record SnapshotSize(long bytes, long files, boolean filesIncludeFolders, String source) {

    public SnapshotSize(long bytes, long files, boolean filesIncludeFolders) {
        this(bytes, files, filesIncludeFolders, "");
    }

    /** Nothing in it: no bytes, or no files. */
    public boolean empty() {
        return bytes == 0 || files == 0;
    }

    /**
     * "1,204 files, 3.2 GB". restic stats' count also holds the folders (with those leading to the backed-up
     * folder, which depend on how the backup was started), so it is said as such: "97.7 KB in 7 files and folders",
     * and "0 bytes (only folders or empty files)" when there is nothing in them.
     */
    public String describe() {
        return describe(bytes, files, filesIncludeFolders);
    }

    static String describe(long bytes, long files, boolean filesIncludeFolders) {
        String count = String.format(Locale.ROOT, "%,d", files);
        if (!filesIncludeFolders) {
            return count + (files == 1 ? " file, " : " files, ") + HumanDuration.ofBytes(bytes);
        }
        if (bytes == 0) {
            return HumanDuration.ofBytes(bytes) + " (only folders or empty files)";
        }
        return HumanDuration.ofBytes(bytes) + " in " + count + (files == 1 ? " file or folder" : " files and folders");
    }
}
