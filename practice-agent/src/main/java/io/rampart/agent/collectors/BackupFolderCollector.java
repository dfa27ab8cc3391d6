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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

import com.google.protobuf.Timestamp;

import io.rampart.agent.collectors.folder.FingerprintReadBack;
import io.rampart.agent.collectors.folder.ManifestReadBack;
import io.rampart.agent.collectors.folder.ReadBackBudget;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.AtomicFile;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.BackupFolderSettings;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;

/**
 * Checks a folder of backup files (NAS share, USB drive, archive server): is the newest backup
 * recent enough and big enough (also next to the one before it)? Do restore points go back far enough
 * for the archive rule? And, when the policy asks, is every byte still readable and equal to the
 * SHA-256 manifest ({@code SHA256SUMS}), and every archive in it readable to its last entry? Without a manifest, the
 * agent's own fingerprints stand in for it ({@link FolderFingerprints}). The folder
 * comes from the local binding; its path is never reported, only paths relative to it.
 * <p>
 * File dates come from the backup host's clock. A file dated more than {@link FutureDates#TOLERANCE} after
 * this computer's clock (a NAS whose clock runs ahead, a file touched to next year) or before 1980 (a NAS that
 * lost its clock) is a clock problem: it is never the newest backup, the size baseline or the oldest restore
 * point; future-dated files are listed in {@code CheckResult.future_dated}, and every such file is named in the
 * summary. With the real backups otherwise fine, the check warns.
 */
public final class BackupFolderCollector implements Collector {

    private static final Logger LOG = Logger.getLogger(BackupFolderCollector.class.getName());

    private final AgentHome home;
    private final LocalChecks bindings;
    private final Clock clock;
    private final Function<ReadBackBudget, ReadBackBudget.Pace> paces;

    /** Read-back without a manifest keeps its fingerprints in {@code home} and reads at the budget's rate in real time. */
    public BackupFolderCollector(AgentHome home, LocalChecks bindings, Clock clock) {
        this(home, bindings, clock, ReadBackBudget.Pace::of);
    }

    /** @param paces how reading keeps to a budget's rate (tests move time instead of waiting) */
    public BackupFolderCollector(AgentHome home, LocalChecks bindings, Clock clock, Function<ReadBackBudget, ReadBackBudget.Pace> paces) {
        this.home = home;
        this.bindings = bindings;
        this.clock = clock;
        this.paces = paces;
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

        Instant now = clock.instant();
        Dated dated = Dated.sort(listing.files(), now);
        for (BackupFile file : dated.future()) {
            result.addFutureDated(FutureDates.item(file.relativePath(), file.modifiedAt(), now));
        }
        List<String> clockProblems = clockProblems(dated, now);

        BackupFolderObservation.Builder observation = BackupFolderObservation.newBuilder()
                .setFileCount(listing.fileCount())
                .setTotalSizeBytes(listing.totalSize());
        if (dated.plausible().isEmpty()) {
            String none = listing.files().isEmpty() ? "no backup files in the folder set in " + property
                    : "no backup file in the folder set in " + property + " carries a date this computer can trust";
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setBackupFolder(observation)
                    .setSummary(clockProblems.isEmpty() ? none : none + "; " + String.join("; ", clockProblems));
            return;
        }
        BackupFile newest = dated.newest();
        BackupFile oldest = dated.oldest();
        observation.setNewestFile(newest.relativePath())
                .setNewestModifiedAt(timestamp(newest.modifiedAt()))
                .setNewestSizeBytes(newest.size())
                .setOldestFile(oldest.relativePath())
                .setOldestModifiedAt(timestamp(oldest.modifiedAt()));
        if (dated.previous() != null) {
            observation.setPreviousSizeBytes(dated.previous().size());
        }

        BackupFolderSettings settings = check.getBackupFolder();
        Duration age = Duration.between(newest.modifiedAt(), now);
        // an unset max_age means the policy sets no age limit
        Optional<Duration> maxAge = positive(settings.getMaxAge());
        // An empty file is never a backup, whatever the policy says.
        long minSize = Math.max(1, settings.getMinSizeBytes());

        List<String> problems = new ArrayList<>();
        maxAge.filter(limit -> age.compareTo(limit) > 0)
                .ifPresent(limit -> problems.add("is " + HumanDuration.of(age) + " old (limit " + HumanDuration.of(limit) + ")"));
        if (newest.size() < minSize) {
            problems.add("is " + HumanDuration.ofBytes(newest.size()) + " (at least " + HumanDuration.ofBytes(minSize) + " expected)");
        }
        double ratio = settings.getMinSizeRatio();
        BackupFile previous = dated.previous();
        if (ratio > 0 && previous != null && newest.size() < ratio * previous.size()) {
            problems.add("is " + HumanDuration.ofBytes(newest.size()) + ", under " + share(ratio) + " of the previous "
                    + HumanDuration.ofBytes(previous.size()) + " (" + previous.relativePath() + ")");
        }
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String subject = "newest backup " + newest.relativePath() + " ";
        if (!problems.isEmpty()) {
            failures.add(subject + String.join(" and ", problems));
        }

        Duration history = Duration.between(oldest.modifiedAt(), now);
        Optional<Duration> minHistory = positive(settings.getMinHistory());
        if (minHistory.isPresent() && history.compareTo(minHistory.get()) < 0) {
            failures.add("restore points go back " + span(history) + "; the archive rule needs " + span(minHistory.get()));
        } else if (minHistory.isPresent()) {
            notes.add("restore points go back " + span(history) + " (the archive rule needs " + span(minHistory.get()) + ")");
        }

        if (settings.getReadBack() && !Files.exists(folder.resolve(ManifestReadBack.MANIFEST))) {
            // most backup tools write no manifest: the agent's own fingerprints stand in for one
            FolderFingerprints.manifestGone(home, check.getCheckId()).ifPresent(failures::add);
            FolderFingerprints.readBack(home, bindings, paces, folder, listing.files().stream()
                    .map(f -> new FingerprintReadBack.Listed(f.relativePath(), f.size(), f.modifiedAt())).toList(),
                    check, now, clock, observation, failures, notes);
        } else if (settings.getReadBack()) {
            FolderFingerprints.manifestSeen(home, check.getCheckId(), now);
            FolderManifest.readBack(folder, listing.files().stream().map(BackupFile::relativePath).toList(),
                    bindings.setting(check.getCheckId(), "pg-restore").orElse("pg_restore"), observation, failures, notes);
        }
        result.setBackupFolder(observation);

        if (failures.isEmpty()) {
            String summary = subject + "is " + HumanDuration.of(age) + " old"
                    + maxAge.map(limit -> " (limit " + HumanDuration.of(limit) + ")").orElse("") + " and "
                    + HumanDuration.ofBytes(newest.size()) + "; " + listing.fileCount() + (listing.fileCount() == 1 ? " file, " : " files, ")
                    + HumanDuration.ofBytes(listing.totalSize()) + " in all";
            List<String> parts = new ArrayList<>();
            // a clock problem comes first: the backups pass, but what the backup host dates next cannot be trusted
            parts.addAll(clockProblems);
            parts.add(summary);
            parts.addAll(notes);
            result.setStatus(clockProblems.isEmpty() ? CheckStatus.CHECK_STATUS_PASS : CheckStatus.CHECK_STATUS_WARN)
                    .setSummary(String.join("; ", parts));
        } else {
            failures.addAll(clockProblems);
            failures.addAll(notes);
            result.setStatus(CheckStatus.CHECK_STATUS_FAIL).setSummary(String.join("; ", failures));
        }
    }

    private static Optional<Duration> positive(com.google.protobuf.Duration d) {
        return Optional.of(DesiredConfiguration.toDuration(d)).filter(limit -> !limit.isZero() && !limit.isNegative());
    }

    private static Timestamp timestamp(Instant at) {
        return ProtoTime.timestamp(at);
    }

    /** "half", "a quarter", else a percentage. */
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

    /** How far back restore points go, as a person says it: "12 days", "14 months", "3 years", "2 years 6 months". */
    static String span(Duration d) {
        if (d.compareTo(Duration.ofDays(60)) < 0) {
            return HumanDuration.of(d);
        }
        long months = Math.round(d.toSeconds() / (365.2425 * 86_400 / 12));
        if (months < 24) {
            return months + " months";
        }
        long years = months / 12;
        long rest = months % 12;
        return years + " years" + (rest > 0 ? " " + rest + (rest == 1 ? " month" : " months") : "");
    }

    private record BackupFile(String relativePath, Instant modifiedAt, long size) {
    }

    /**
     * Backup files dated before this are a clock problem (a NAS that lost its clock writes 1970-01-01), never a
     * restore point decades old: no backup is older than the DOS date epoch, the earliest date a zip entry or a
     * FAT/exFAT USB drive can hold.
     */
    static final Instant EARLIEST_PLAUSIBLE = Instant.parse("1980-01-01T00:00:00Z");

    /** The backups sorted by whether their date can be trusted; each list newest first. */
    private record Dated(List<BackupFile> plausible, List<BackupFile> future, List<BackupFile> ancient) {
        static Dated sort(List<BackupFile> newestFirst, Instant now) {
            List<BackupFile> plausible = new ArrayList<>();
            List<BackupFile> future = new ArrayList<>();
            List<BackupFile> ancient = new ArrayList<>();
            for (BackupFile file : newestFirst) {
                if (FutureDates.isFuture(file.modifiedAt(), now)) {
                    future.add(file);
                } else if (file.modifiedAt().isBefore(EARLIEST_PLAUSIBLE)) {
                    ancient.add(file);
                } else {
                    plausible.add(file);
                }
            }
            return new Dated(plausible, future, ancient);
        }

        BackupFile newest() {
            return plausible.isEmpty() ? null : plausible.get(0);
        }

        /** The baseline for the size ratio: the newest backup before the newest one, both dated plausibly. */
        BackupFile previous() {
            return plausible.size() < 2 ? null : plausible.get(1);
        }

        BackupFile oldest() {
            return plausible.isEmpty() ? null : plausible.get(plausible.size() - 1);
        }
    }

    /** One sentence per clock problem (at most a few; the event's future_dated has every future-dated file). */
    private static List<String> clockProblems(Dated dated, Instant now) {
        List<String> problems = new ArrayList<>();
        dated.future().stream().limit(3).forEach(file -> problems.add(FutureDates.describe(file.relativePath(), file.modifiedAt(), now)));
        if (dated.future().size() > 3) {
            problems.add((dated.future().size() - 3) + " more files dated in the future");
        }
        if (!dated.ancient().isEmpty()) {
            BackupFile first = dated.ancient().get(0);
            problems.add("clock problem on the backup host: " + first.relativePath() + " is dated " + first.modifiedAt()
                    + (dated.ancient().size() > 1 ? " (and " + (dated.ancient().size() - 1) + " more files before 1980)" : "")
                    + ", before any backup could have been made (not counted as a restore point)");
        }
        return problems;
    }

    /** Newest first (ties broken by name, as before); the manifest itself is not a backup. */
    private record Listing(long fileCount, long totalSize, List<BackupFile> files) {
    }

    private static final Comparator<BackupFile> NEWEST_FIRST = Comparator.comparing(BackupFile::modifiedAt)
            .thenComparing(BackupFile::relativePath).reversed();

    private static Listing list(Path folder) throws IOException {
        long[] countAndSize = new long[2];
        List<BackupFile> files = new ArrayList<>();
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
                String relative = folder.relativize(file).toString().replace('\\', '/');
                if (relative.equals(ManifestReadBack.MANIFEST)) {
                    return FileVisitResult.CONTINUE;
                }
                countAndSize[0]++;
                countAndSize[1] += attrs.size();
                files.add(new BackupFile(relative, attrs.lastModifiedTime().toInstant(), attrs.size()));
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
        files.sort(NEWEST_FIRST);
        return new Listing(countAndSize[0], countAndSize[1], files);
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
