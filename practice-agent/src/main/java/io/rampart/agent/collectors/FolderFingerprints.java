package io.rampart.agent.collectors;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.rampart.agent.collectors.folder.FingerprintReadBack;
import io.rampart.agent.collectors.folder.Fingerprints;
import io.rampart.agent.collectors.folder.ReadBackBudget;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.BackupWindow;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.BackupFolderObservation;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.ReadBack;
import io.rampart.protocol.agent.v1.UnreadableFile;

/**
 * The backup folder check's read-back when the folder has no {@code SHA256SUMS} manifest: runs
 * {@link FingerprintReadBack} over the listed files with the check's budget, with the fingerprints kept in the agent
 * home ({@link Fingerprints#fileFor}), and says what it did and found: a corrupt, damaged or unreadable file is a
 * failure naming it; what was read, what waits and how far behind the rotation is are notes. Nothing is read while
 * the practice's backup window ({@code backup-window} in checks.properties) is open.
 */
final class FolderFingerprints {

    /** How long the check may have gone without re-reading some file before the summary says so: a month. */
    private static final Duration BEHIND = Duration.ofDays(31);

    private FolderFingerprints() {
    }

    static void readBack(AgentHome home, LocalChecks bindings, Function<ReadBackBudget, ReadBackBudget.Pace> paces, Path folder,
            List<FingerprintReadBack.Listed> listed, CheckDefinition check, Instant now, java.time.Clock clock,
            BackupFolderObservation.Builder observation, List<String> failures, List<String> notes) {
        ReadBackBudget budget = ReadBackBudget.of(check.getBackupFolder());
        Optional<String> hold = windowOpen(bindings, now, clock.getZone());
        Duration interval = DesiredConfiguration.toDuration(check.getInterval());
        String pgRestore = bindings.setting(check.getCheckId(), "pg-restore").orElse("pg_restore");
        Fingerprints store = Fingerprints.load(Fingerprints.fileFor(home, check.getCheckId()));
        long started = System.nanoTime();
        FingerprintReadBack.Outcome outcome = new FingerprintReadBack(folder, store, budget, paces.apply(budget), pgRestore)
                .run(listed, now, interval, hold, () -> windowOpen(bindings, clock.instant(), clock.getZone())
                        .map(open -> open.replace(" is open", " opened")));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        ReadBack.Builder readBack = ReadBack.newBuilder().setFingerprints(true)
                .setFilesVerified(outcome.filesVerified()).setBytesVerified(outcome.bytesRead())
                .setFilesFingerprinted(outcome.filesFingerprinted()).setFilesAwaitingFingerprint(outcome.awaiting())
                .setBudgetLeftTodayBytes(outcome.budgetLeftToday())
                .addAllNotVerified(outcome.notVerified())
                .setDuration(DesiredConfiguration.toProto(took));
        outcome.oldestVerifiedAt().ifPresent(at -> readBack.setOldestVerifiedAt(ProtoTime.timestamp(at)));
        for (FingerprintReadBack.Problem problem : outcome.problems()) {
            readBack.addUnreadableFiles(problem.file())
                    .addUnreadable(UnreadableFile.newBuilder().setFile(problem.file()).setReason(problem.reason())
                            .setCorrupted(problem.corrupted()));
        }
        for (FingerprintReadBack.Problem retry : outcome.retrying()) {
            readBack.addNotVerified(retry.file() + ": " + retry.reason() + "; read again on the next run before it is called unreadable");
        }
        if (outcome.fingerprintsLost() > 0) {
            readBack.addNotVerified("fingerprints: " + outcome.fingerprintsLost() + " damaged line(s) of the agent's fingerprint file were "
                    + "skipped; those files are fingerprinted afresh and trusted from now on");
        }
        observation.setReadBack(readBack);

        if (!outcome.problems().isEmpty()) {
            failures.add("read-back found " + (outcome.problems().size() == 1 ? "a bad backup file: " : outcome.problems().size() + " bad backup files: ")
                    + String.join("; ", outcome.problems().stream().limit(3).map(Object::toString).toList())
                    + (outcome.problems().size() > 3 ? "; and " + (outcome.problems().size() - 3) + " more" : ""));
        }
        StringBuilder note = new StringBuilder("no " + io.rampart.agent.collectors.folder.ManifestReadBack.MANIFEST
                + " manifest, so the agent checks its own SHA-256 fingerprints: ");
        if (outcome.held().isPresent()) {
            note.append("read-back verified nothing in this run: nothing is read while ").append(outcome.held().get());
        } else if (outcome.bytesRead() == 0 && outcome.awaiting() > 0) {
            note.append("read-back verified nothing in this run (today's budget of ").append(budget.rate()).append(", ")
                    .append(hours(budget.hoursPerDay())).append(" a day is used up, or the files are still being written)");
        } else {
            note.append("read ").append(HumanDuration.ofBytes(outcome.bytesRead())).append(" in ").append(HumanDuration.of(took))
                    .append(" (").append(outcome.filesFingerprinted()).append(" newly fingerprinted");
            if (outcome.rewritten() > 0) {
                note.append(", of which ").append(outcome.rewritten()).append(" written again since (size or date changed)");
            }
            note.append(", ").append(outcome.filesVerified()).append(" re-read and unchanged");
            if (outcome.archivesOpened() > 0) {
                note.append(", ").append(outcome.archivesOpened()).append(outcome.archivesOpened() == 1 ? " archive or dump" : " archives or dumps")
                        .append(" opened");
            }
            note.append(")");
        }
        note.append("; ").append(outcome.fingerprintsKept()).append(outcome.fingerprintsKept() == 1 ? " file" : " files").append(" fingerprinted");
        if (outcome.awaiting() > 0) {
            note.append(", ").append(outcome.awaiting()).append(" waiting for the budget (")
                    .append(budget.rate()).append(", ").append(hours(budget.hoursPerDay())).append(" a day) or still being written");
        }
        outcome.oldestVerifiedAt().ifPresent(at -> {
            Duration since = Duration.between(at, now);
            if (since.compareTo(BEHIND) > 0) {
                note.append("; some files were last read back ").append(HumanDuration.of(since))
                        .append(" ago: raise the read-back hours or MB/s of the check to re-read the folder more often");
            }
        });
        notes.add(note.toString());
        if (!outcome.retrying().isEmpty()) {
            notes.add("could not read back " + String.join("; ", outcome.retrying().stream().limit(3).map(Object::toString).toList())
                    + ": read again on the next run");
        }
        if (outcome.fingerprintsLost() > 0) {
            notes.add(outcome.fingerprintsLost() + " damaged line(s) of the fingerprint file were skipped: those files are fingerprinted "
                    + "afresh and trusted from now on");
        }
        if (!outcome.notVerified().isEmpty()) {
            notes.add("could not verify the contents of " + String.join(", ", outcome.notVerified().stream().limit(5).toList()));
        }
    }

    /**
     * Remembers that the folder had a {@code SHA256SUMS} manifest ({@code <agent home>/read-back/<check id>.manifest},
     * holding the first date it was seen), so that its disappearance is a failure rather than a quiet switch to
     * fingerprints. Best effort: a write failure is logged.
     */
    static void manifestSeen(AgentHome home, String checkId, Instant now) {
        Path marker = manifestMarker(home, checkId);
        if (java.nio.file.Files.exists(marker)) {
            return;
        }
        try {
            io.rampart.agent.config.AtomicFile.write(marker, (now.toString() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        } catch (java.io.IOException e) {
            java.util.logging.Logger.getLogger(FolderFingerprints.class.getName()).warning("cannot write " + marker + ": " + e);
        }
    }

    /** The failure for a folder whose manifest was seen before and is gone now; empty when it never had one. */
    static Optional<String> manifestGone(AgentHome home, String checkId) {
        Path marker = manifestMarker(home, checkId);
        if (!java.nio.file.Files.exists(marker)) {
            return Optional.empty();
        }
        String since;
        try {
            since = java.nio.file.Files.readString(marker).strip();
        } catch (java.io.IOException e) {
            since = "before";
        }
        return Optional.of("the " + io.rampart.agent.collectors.folder.ManifestReadBack.MANIFEST + " manifest this folder had (seen "
                + since.replaceFirst("T.*", "") + ") is gone: put it back, or if it was removed on purpose delete " + marker
                + " and the agent checks its own fingerprints instead");
    }

    private static Path manifestMarker(AgentHome home, String checkId) {
        return home.directory().resolve("read-back").resolve(checkId.replaceAll("[^A-Za-z0-9._-]", "_") + ".manifest");
    }

    /** Why nothing may be read at {@code at}: the practice's backup window is open; empty when it is not. */
    private static Optional<String> windowOpen(LocalChecks bindings, Instant at, java.time.ZoneId zone) {
        try {
            BackupWindow window = bindings.backupWindow();
            if (window.contains(ZonedDateTime.ofInstant(at, zone))) {
                return Optional.of("the backup window (" + window + ") is open");
            }
        } catch (IllegalArgumentException e) {
            // a wrong backup-window is reported by the checks that need it; reading goes on
        }
        return Optional.empty();
    }

    private static String hours(double hours) {
        return (hours == Math.rint(hours) ? Long.toString((long) hours) : String.valueOf(hours)) + (hours == 1 ? " hour" : " hours");
    }
}
