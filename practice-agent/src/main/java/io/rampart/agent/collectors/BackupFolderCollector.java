package io.rampart.agent.collectors;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * Checks a folder of backup files (NAS share, USB drive, archive server): is the newest backup
 * recent enough and big enough? The folder comes from the local binding; its path is never reported,
 * only paths relative to it.
 */
public final class BackupFolderCollector implements Collector {

    private static final Logger LOG = Logger.getLogger(BackupFolderCollector.class.getName());

    private final LocalChecks bindings;
    private final Clock clock;

    public BackupFolderCollector(LocalChecks bindings, Clock clock) {
        this.bindings = bindings;
        this.clock = clock;
    }

    @Override
    public CheckKind kind() {
        return CheckKind.CHECK_KIND_BACKUP_FOLDER;
    }

    @Override
    public CheckResult run(CheckDefinition check) {
        Instant started = clock.instant();
        CheckResult.Builder result = CheckResult.newBuilder().setCheckId(check.getCheckId()).setKind(kind());
        String property = LocalChecks.propertyFor(check.getCheckId());
        Optional<Path> folder = bindings.folderFor(check.getCheckId());
        if (folder.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("this computer does not know where the backups of check " + check.getCheckId()
                            + " are: set " + property + "=<folder> in checks.properties");
        } else {
            examine(folder.get(), check, property, result);
        }
        return result.setDuration(DesiredConfiguration.toProto(Duration.between(started, clock.instant()))).build();
    }

    private void examine(Path folder, CheckDefinition check, String property, CheckResult.Builder result) {
        if (!Files.isDirectory(folder)) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the backup folder set in " + property + " does not exist or is not a folder (is the drive or share connected?)");
            return;
        }
        Listing listing;
        try {
            listing = list(folder);
        } catch (AccessDeniedException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the agent may not read the backup folder set in " + property + " (permission denied)");
            return;
        } catch (NoSuchFileException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the backup folder set in " + property + " disappeared while it was being read");
            return;
        } catch (IOException e) {
            result.setStatus(CheckStatus.CHECK_STATUS_ERROR)
                    .setSummary("the backup folder set in " + property + " cannot be read: " + e.getClass().getSimpleName());
            return;
        }

        BackupFolderObservation.Builder observation = BackupFolderObservation.newBuilder()
                .setFileCount(listing.fileCount())
                .setTotalSizeBytes(listing.totalSize());
        if (listing.newest() == null) {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary("no backup files in the folder set in " + property)
                    .setBackupFolder(observation);
            return;
        }
        BackupFile newest = listing.newest();
        observation.setNewestFile(newest.relativePath())
                .setNewestModifiedAt(Timestamp.newBuilder().setSeconds(newest.modifiedAt().getEpochSecond())
                        .setNanos(newest.modifiedAt().getNano()))
                .setNewestSizeBytes(newest.size());
        result.setBackupFolder(observation);

        BackupFolderSettings settings = check.getBackupFolder();
        Duration age = Duration.between(newest.modifiedAt(), clock.instant());
        // an unset max_age means the policy sets no age limit
        Optional<Duration> maxAge = Optional.of(DesiredConfiguration.toDuration(settings.getMaxAge()))
                .filter(limit -> !limit.isZero() && !limit.isNegative());
        // An empty file is never a backup, whatever the policy says.
        long minSize = Math.max(1, settings.getMinSizeBytes());

        List<String> problems = new ArrayList<>();
        maxAge.filter(limit -> age.compareTo(limit) > 0)
                .ifPresent(limit -> problems.add("is " + HumanDuration.of(age) + " old (limit " + HumanDuration.of(limit) + ")"));
        if (newest.size() < minSize) {
            problems.add("is " + HumanDuration.ofBytes(newest.size()) + " (at least " + HumanDuration.ofBytes(minSize) + " expected)");
        }
        String subject = "newest backup " + newest.relativePath() + " ";
        if (problems.isEmpty()) {
            result.setStatus(CheckStatus.CHECK_STATUS_PASS).setSummary(subject + "is " + HumanDuration.of(age) + " old"
                    + maxAge.map(limit -> " (limit " + HumanDuration.of(limit) + ")").orElse("") + " and "
                    + HumanDuration.ofBytes(newest.size()) + "; " + listing.fileCount() + " files, "
                    + HumanDuration.ofBytes(listing.totalSize()) + " in all");
        } else {
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(subject + String.join(" and ", problems));
        }
    }

    private record BackupFile(String relativePath, Instant modifiedAt, long size) {
    }

    private record Listing(long fileCount, long totalSize, BackupFile newest) {
    }

    private static Listing list(Path folder) throws IOException {
        long[] countAndSize = new long[2];
        BackupFile[] newest = new BackupFile[1];
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && isHidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() || isHidden(file) || AtomicFile.isTemp(file)) {
                    return FileVisitResult.CONTINUE;
                }
                countAndSize[0]++;
                countAndSize[1] += attrs.size();
                Instant modified = attrs.lastModifiedTime().toInstant();
                String relative = folder.relativize(file).toString().replace('\\', '/');
                if (newest[0] == null || modified.isAfter(newest[0].modifiedAt())
                        || (modified.equals(newest[0].modifiedAt()) && relative.compareTo(newest[0].relativePath()) > 0)) {
                    newest[0] = new BackupFile(relative, modified, attrs.size());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (file.equals(folder)) {
                    throw e;
                }
                // One unreadable subfolder should not hide the backups we can see.
                LOG.warning("skipping unreadable " + file + ": " + e);
                return FileVisitResult.CONTINUE;
            }
        });
        return new Listing(countAndSize[0], countAndSize[1], newest[0]);
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
