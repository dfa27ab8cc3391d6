package io.rampart.agent.restore;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rampart.agent.collectors.FutureDates;
import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.FutureDatedItem;

/**
 * For a source check bound to a folder ({@code check.<source>.path}): copies the newest backup file into the
 * scratch folder and compares the SHA-256 of the copy with that of the backup. A file dated more than
 * {@link FutureDates#TOLERANCE} ahead of the agent's clock is a clock problem on the backup host, not the newest
 * backup: it is never the one restored (the verification names it).
 */
public final class FolderCopy implements RestoreMethod {

    private final Clock clock;

    /** @param clock the agent's clock, against which a backup file's date is judged future */
    public FolderCopy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "folder-copy";
    }

    @Override
    public boolean supports(LocalChecks settings, String sourceCheckId) {
        return settings.folderFor(sourceCheckId).isPresent();
    }

    @Override
    public Optional<Path> sourceLocation(LocalChecks settings, String sourceCheckId) {
        return settings.folderFor(sourceCheckId);
    }

    @Override
    public Restored restore(LocalChecks settings, String sourceCheckId, Path scratch) throws RestoreProblem {
        String property = LocalChecks.propertyFor(sourceCheckId);
        Path folder = settings.folderFor(sourceCheckId).orElseThrow();
        if (!Files.isDirectory(folder)) {
            throw new RestoreProblem("the backup folder set in " + property + " does not exist or is not a folder (is the drive or share connected?)");
        }
        try {
            Instant now = clock.instant();
            List<Path> future = new ArrayList<>();
            Optional<Path> newest = newestFile(folder, file -> true, at -> FutureDates.isFuture(at, now), future);
            List<FutureDatedItem> passedOver = new ArrayList<>();
            for (Path file : future) {
                passedOver.add(FutureDates.item(relative(folder, file), Files.getLastModifiedTime(file).toInstant(), now));
            }
            if (newest.isEmpty()) {
                return Restored.failed("nothing", 0, 0, "", "no backup file to restore in the folder set in " + property)
                        .withFutureDated(passedOver);
            }
            Path source = newest.get();
            String item = relative(folder, source);
            Path copy = scratch.resolve(source.getFileName().toString());
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
            Optional<String> mismatch = RestoredFiles.compare(source, copy);
            long size = Files.size(copy);
            if (mismatch.isPresent()) {
                return Restored.failed(item, 0, 0, "SHA-256 of the copy compared with the backup", mismatch.get()).withFutureDated(passedOver);
            }
            return Restored.verified(item, 1, size, "SHA-256 of the copy matches the backup (" + RestoredFiles.sha256(copy) + ")")
                    .withFutureDated(passedOver);
        } catch (IOException e) {
            throw new RestoreProblem("the newest backup in the folder set in " + property + " cannot be copied: "
                    + e.getClass().getSimpleName());
        }
    }

    /** The most recently modified backup file that {@code wanted} accepts, in the folder or below it. */
    static Optional<Path> newestFile(Path folder, java.util.function.Predicate<Path> wanted) throws IOException {
        return newestFile(folder, wanted, at -> false, new ArrayList<>());
    }

    /**
     * The most recently modified backup file that {@code wanted} accepts, leaving out (and adding to {@code future})
     * the files whose modification time {@code futureDated} says is in the future.
     */
    static Optional<Path> newestFile(Path folder, java.util.function.Predicate<Path> wanted,
            java.util.function.Predicate<Instant> futureDated, List<Path> future) throws IOException {
        Path[] newest = new Path[1];
        Instant[] newestAt = new Instant[1];
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !hidden(file) && !AtomicFile.isTemp(file) && wanted.test(file)) {
                    Instant at = attrs.lastModifiedTime().toInstant();
                    if (futureDated.test(at)) {
                        future.add(file);
                    } else if (newest[0] == null || at.isAfter(newestAt[0])
                            || (at.equals(newestAt[0]) && file.toString().compareTo(newest[0].toString()) > 0)) {
                        newest[0] = file;
                        newestAt[0] = at;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (file.equals(folder)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return Optional.ofNullable(newest[0]);
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }

    private static boolean hidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
