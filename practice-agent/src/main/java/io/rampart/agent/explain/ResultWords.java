package io.rampart.agent.explain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.agent.collectors.RepositoryLocks;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.ReadBack;
import io.rampart.protocol.agent.v1.RepositoryLock;
import io.rampart.protocol.agent.v1.RepositoryLockState;
import io.rampart.protocol.agent.v1.UnreadableFile;

/**
 * A check result as a person at the practice reads it: the status and the kind in words, and for a result that is
 * not a pass, what to do next. The collectors' own summary says what they saw (and, where they know it, the setting
 * to change); the next steps add what the observation shows besides (a stale lock of someone else's, files the
 * read-back could not verify, backups dated in the future) and how to see whether the fix worked.
 */
public final class ResultWords {

    /** How many items of a long list (unreadable files, locks) the next steps name. */
    private static final int MAX_ITEMS = 5;

    private ResultWords() {
    }

    /** "PASS", "WARN", "FAIL", "UNKNOWN" (the agent could not check: tool missing, folder not found ...). */
    public static String status(CheckStatus status) {
        return switch (status) {
            case CHECK_STATUS_PASS -> "PASS";
            case CHECK_STATUS_WARN -> "WARN";
            case CHECK_STATUS_FAIL -> "FAIL";
            default -> "UNKNOWN";
        };
    }

    /** What the status means, in a few words. */
    public static String meaning(CheckStatus status) {
        return switch (status) {
            case CHECK_STATUS_PASS -> "passed";
            case CHECK_STATUS_WARN -> "passed, with a warning";
            case CHECK_STATUS_FAIL -> "failed";
            default -> "the agent could not check it";
        };
    }

    /** "backup folder", "restic repository", "UPS" ... */
    public static String kind(CheckKind kind) {
        return switch (kind) {
            case CHECK_KIND_BACKUP_FOLDER -> "backup folder";
            case CHECK_KIND_RESTIC_REPOSITORY -> "restic repository";
            case CHECK_KIND_BORG_REPOSITORY -> "borg repository";
            case CHECK_KIND_DATABASE_SYNC -> "database sync";
            case CHECK_KIND_UPS -> "UPS";
            case CHECK_KIND_USB_ROTATION -> "USB rotation";
            case CHECK_KIND_REPORTED_JOB -> "reported job";
            case CHECK_KIND_RESTORE_TEST -> "restore test";
            default -> "unknown kind " + kind;
        };
    }

    /**
     * What to do next for a result that did not pass (empty for a pass): what its observation shows besides the
     * summary, then where to look and how to try again.
     *
     * @param now this computer's clock, for the age of a lock
     */
    public static List<String> nextSteps(CheckResult result, Instant now) {
        if (result.getStatus() == CheckStatus.CHECK_STATUS_PASS) {
            return List.of();
        }
        List<String> steps = new ArrayList<>();
        if (result.hasRepository()) {
            String tool = result.getKind() == CheckKind.CHECK_KIND_BORG_REPOSITORY ? "borg" : "restic";
            result.getRepository().getLocksList().stream().filter(l -> l.getState() == RepositoryLockState.REPOSITORY_LOCK_STATE_STALE_OTHER)
                    .limit(MAX_ITEMS).forEach((RepositoryLock lock) -> steps.add(RepositoryLocks.describe(tool, lock, now)));
        }
        if (result.hasBackupFolder() && result.getBackupFolder().hasReadBack()) {
            ReadBack readBack = result.getBackupFolder().getReadBack();
            if (readBack.getUnreadableCount() > 0) {
                List<String> files = readBack.getUnreadableList().stream().limit(MAX_ITEMS)
                        .map((UnreadableFile f) -> f.getFile() + " (" + f.getReason() + ")").toList();
                steps.add("the read-back could not verify " + readBack.getUnreadableCount() + (readBack.getUnreadableCount() == 1 ? " file" : " files")
                        + ": " + String.join(", ", files) + (readBack.getUnreadableCount() > MAX_ITEMS ? ", …" : "")
                        + (readBack.getUnreadableList().stream().allMatch(UnreadableFile::getCorrupted)
                                // an old copy that rotted cannot be made again by the next backup run
                                ? "; check the disk health of the NAS or drive (SMART, a RAID scrub) and restore "
                                        + (readBack.getUnreadableCount() == 1 ? "the file" : "the files") + " from another copy"
                                : "; run the backup again and keep the copies that still read back until a new one does"));
            }
        }
        if (result.getFutureDatedCount() > 0) {
            var first = result.getFutureDated(0);
            steps.add(result.getFutureDatedCount() + (result.getFutureDatedCount() == 1 ? " backup is" : " backups are")
                    + " dated in the future (e.g. " + first.getName() + " dated " + ProtoTime.instant(first.getDatedAt())
                    + "): correct the clock of the computer that made " + (result.getFutureDatedCount() == 1 ? "it" : "them")
                    + "; the agent never counts them as fresh");
        }
        steps.add(switch (result.getStatus()) {
            case CHECK_STATUS_WARN, CHECK_STATUS_FAIL -> switch (result.getKind()) {
                case CHECK_KIND_BACKUP_FOLDER, CHECK_KIND_RESTIC_REPOSITORY, CHECK_KIND_BORG_REPOSITORY, CHECK_KIND_USB_ROTATION ->
                        "look at the backup job that writes here (its log, its schedule, the drive or share it writes to)";
                case CHECK_KIND_REPORTED_JOB -> "look at the log of the software that reports this job";
                case CHECK_KIND_RESTORE_TEST -> "look at the backup the restore test restored from; the summary names what did not restore";
                case CHECK_KIND_DATABASE_SYNC -> "look at the standby server and its replication (the summary names the server)";
                case CHECK_KIND_UPS -> "look at the UPS (its display, battery, the NUT driver's log)";
                default -> "look at what the summary names";
            };
            default -> "fix what the summary names (this computer's settings are in checks.properties in the agent's home); "
                    + "`rampart-agent doctor` checks paths, tools and the connection";
        });
        steps.add("then run `rampart-agent check --only " + result.getCheckId() + "` again");
        return steps;
    }
}
