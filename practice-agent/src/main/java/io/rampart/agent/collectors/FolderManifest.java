package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.rampart.agent.collectors.folder.ManifestReadBack;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.ReadBack;
import io.rampart.protocol.agent.v1.UnreadableFile;

/**
 * The backup folder check's read-back against the folder's {@code SHA256SUMS} manifest ({@link ManifestReadBack}):
 * a file missing, unreadable, damaged or not matching its checksum is a failure naming it; what was read, files the
 * manifest does not list and entries that could not be verified are notes.
 */
final class FolderManifest {

    private FolderManifest() {
    }

    /**
     * @param files the backup files listed in the folder, relative paths with '/' separators
     */
    static void readBack(Path folder, List<String> files, String pgRestore, BackupFolderObservation.Builder observation,
            List<String> failures, List<String> notes) {
        long started = System.nanoTime();
        ManifestReadBack.Outcome outcome;
        try {
            outcome = ManifestReadBack.verify(folder, files, pgRestore);
        } catch (ManifestReadBack.NoManifest e) {
            failures.add("read-back is required but the folder holds no " + ManifestReadBack.MANIFEST
                    + " manifest (sha256sum format) to check the backups against");
            return;
        } catch (IOException e) {
            failures.add("read-back is required but the " + ManifestReadBack.MANIFEST + " manifest cannot be read: "
                    + e.getClass().getSimpleName());
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        observation.setReadBack(ReadBack.newBuilder()
                .setFilesVerified(outcome.filesVerified())
                .setBytesVerified(outcome.bytesVerified())
                .addAllUnreadableFiles(outcome.unreadable().stream().map(ManifestReadBack.Unreadable::file).toList())
                .addAllUnlistedFiles(outcome.unlisted())
                .addAllUnreadable(outcome.unreadable().stream()
                        .map(u -> UnreadableFile.newBuilder().setFile(u.file()).setReason(u.reason()).build()).toList())
                .addAllNotVerified(outcome.notVerified())
                .setDuration(DesiredConfiguration.toProto(took)));
        if (!outcome.unreadable().isEmpty()) {
            failures.add("unreadable: " + names(outcome.unreadable().stream().map(Object::toString).toList()));
        }
        if (!outcome.malformedLines().isEmpty()) {
            failures.add(ManifestReadBack.MANIFEST + " has lines that are not in sha256sum format: "
                    + names(outcome.malformedLines()));
        }
        notes.add("read back " + outcome.filesVerified() + (outcome.filesVerified() == 1 ? " file (" : " files (")
                + HumanDuration.ofBytes(outcome.bytesVerified())
                + ") against " + ManifestReadBack.MANIFEST + " in " + HumanDuration.of(took)
                + (outcome.archivesOpened() > 0 ? ", " + outcome.archivesOpened() + (outcome.archivesOpened() == 1 ? " archive" : " archives")
                        + " opened (" + outcome.archiveEntries() + (outcome.archiveEntries() == 1 ? " entry)" : " entries)") : ""));
        if (!outcome.unlisted().isEmpty()) {
            notes.add(outcome.unlisted().size() + " not in the manifest (not verified): " + names(outcome.unlisted()));
        }
        if (!outcome.notVerified().isEmpty()) {
            // not damage: the archive matched its manifest checksum, but these entries' contents could not be checked
            notes.add("could not verify the contents of " + names(outcome.notVerified()));
        }
    }

    /** At most a handful of names in a summary; the observation has them all. */
    static String names(List<String> all) {
        int shown = Math.min(all.size(), 5);
        String listed = String.join(", ", all.subList(0, shown));
        return all.size() > shown ? listed + " and " + (all.size() - shown) + " more" : listed;
    }

}
