package io.rampart.agent.collectors;

import java.time.Duration;
import java.util.Optional;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.ReplicationMode;

/**
 * The one sentence about a secondary against its primary, made from the facts of the observation alone (so the
 * control plane's DbSyncRule, reading the same facts, says the same words), and its status: FAIL when it is not a
 * standby of the primary, is behind by more than the data-loss objective, cannot tell since when it is behind, or
 * its WAL receiver does not stream when it should; WARN when replay is paused but nothing is lost yet; ERROR when the
 * primary did not answer (the secondary cannot be judged).
 */
final class DatabaseSyncWords {

    static final String RECEIVER_ADVICE = " (check primary_conninfo on the secondary, the network to the primary,"
            + " the replication slot and pg_hba.conf on the primary)";

    record Judgement(CheckStatus status, String sentence) {
    }

    private DatabaseSyncWords() {
    }

    static Judgement judge(DatabaseSyncObservation sync, Optional<Duration> maxLag) {
        String secondary = "the secondary " + sync.getSecondaryServer();
        String primary = "the primary " + sync.getPrimaryServer() + (sync.getPrimaryIsStandby() ? " (itself a standby)" : "");
        if (sync.getPrimaryUnreachable()) {
            return new Judgement(CheckStatus.CHECK_STATUS_ERROR, "cannot judge " + secondary + " against the primary: " + sync.getPrimaryError());
        }
        switch (sync.getSecondaryRole()) {
            case SECONDARY_ROLE_SAME_SERVER:
                return fail(secondary + " and " + primary + " are the same server: name the standby as the secondary in checks.properties");
            case SECONDARY_ROLE_NOT_IN_RECOVERY:
                return fail(secondary + " is not in recovery, so it no longer copies " + primary
                        + " (promoted, or the wrong server?); if both take writes, stop one and rebuild it as a standby");
            case SECONDARY_ROLE_OTHER_CLUSTER:
                return fail(secondary + " is a standby of another database, not of " + primary + " (their system identifiers differ)");
            default:
                break;
        }
        CheckStatus status = CheckStatus.CHECK_STATUS_PASS;
        StringBuilder text = new StringBuilder(secondary.substring(4)).append(" is ");
        String wal = (sync.hasBytesBehind() ? HumanDuration.ofBytes(sync.getBytesBehind()) : "an unknown amount") + " of WAL";
        String shipped = sync.getReplicationMode() == ReplicationMode.REPLICATION_MODE_LOG_SHIPPING ? " through log shipping (restore_command)" : "";
        boolean lagTooLong = false;
        if (sync.hasLag()) {
            Duration lag = ProtoTime.duration(sync.getLag());
            text.append(HumanDuration.of(lag)).append(" and ").append(wal).append(" behind ").append(primary).append(shipped);
            if (maxLag.isPresent()) {
                lagTooLong = lag.compareTo(maxLag.get()) > 0;
                text.append(lagTooLong ? "; the data-loss objective is " + HumanDuration.of(maxLag.get())
                        : " (data-loss objective " + HumanDuration.of(maxLag.get()) + ")");
            }
        } else {
            lagTooLong = true;
            text.append(wal).append(" behind ").append(primary).append(shipped)
                    .append(" and cannot tell since when (it has replayed no transaction since it started)");
        }
        if (lagTooLong) {
            status = CheckStatus.CHECK_STATUS_FAIL;
        }
        if (sync.getReceivedTimeline() != 0 && sync.getPrimaryTimeline() != 0 && sync.getReceivedTimeline() != sync.getPrimaryTimeline()) {
            status = CheckStatus.CHECK_STATUS_FAIL;
            text.append("; it receives timeline ").append(sync.getReceivedTimeline()).append(" from ")
                    .append(sync.getSender().isEmpty() ? "its sender" : sync.getSender()).append(" while the primary writes timeline ")
                    .append(sync.getPrimaryTimeline()).append(": it follows another server, not the primary (after a failover, point its"
                            + " primary_conninfo at the new primary; if it went past the fork, pg_rewind it or rebuild it)");
        }
        switch (sync.getReplicationMode()) {
            case REPLICATION_MODE_STREAMING -> {
                String receiver = switch (sync.getWalReceiver()) {
                    case WAL_RECEIVER_STATE_SILENT -> "; its WAL receiver has heard nothing from "
                            + (sync.getSender().isEmpty() ? "its sender" : sync.getSender()) + " for "
                            + HumanDuration.of(ProtoTime.duration(sync.getLastMessageAge())) + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_STREAMING -> "; its WAL receiver is " + sync.getWalReceiverStatus() + ", not streaming"
                            + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_RUNNING -> "; its WAL receiver is not running" + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_VISIBLE -> "; the agent's database user may not see the WAL receiver: grant it pg_monitor";
                    default -> "";
                };
                if (!receiver.isEmpty()) {
                    status = CheckStatus.CHECK_STATUS_FAIL;
                    text.append(receiver);
                }
            }
            case REPLICATION_MODE_LOG_SHIPPING -> {
                if (sync.getArchiveFailing()) {
                    status = CheckStatus.CHECK_STATUS_FAIL;
                    text.append("; the primary's archive_command is failing, so no new WAL reaches it (see pg_stat_archiver and"
                            + " the primary's log)");
                }
                Duration archiveTimeout = ProtoTime.duration(sync.getArchiveTimeout());
                if (lagTooLong && maxLag.isPresent() && (archiveTimeout.isZero() || archiveTimeout.compareTo(maxLag.get()) > 0)) {
                    text.append("; the primary's archive_timeout is ").append(archiveTimeout.isZero() ? "off" : HumanDuration.of(archiveTimeout))
                            .append(": set it below the data-loss objective");
                }
            }
            case REPLICATION_MODE_NONE -> {
                status = CheckStatus.CHECK_STATUS_FAIL;
                text.append("; it has neither primary_conninfo nor restore_command, so nothing new reaches it");
            }
            case REPLICATION_MODE_NOT_VISIBLE -> {
                status = CheckStatus.CHECK_STATUS_FAIL;
                text.append("; the agent's database user may not read primary_conninfo and restore_command: grant it pg_monitor");
            }
            default -> {
            }
        }
        switch (sync.getSlotState()) {
            case REPLICATION_SLOT_STATE_MISSING -> {
                status = CheckStatus.CHECK_STATUS_FAIL;
                text.append("; its replication slot ").append(sync.getReplicationSlot()).append(" does not exist on the primary (create it there"
                        + " with select pg_create_physical_replication_slot('").append(sync.getReplicationSlot()).append("'))");
            }
            case REPLICATION_SLOT_STATE_LOST -> {
                status = CheckStatus.CHECK_STATUS_FAIL;
                text.append("; the primary removed WAL its replication slot ").append(sync.getReplicationSlot())
                        .append(" kept for it (wal_status lost): rebuild the standby with pg_basebackup");
            }
            default -> {
            }
        }
        if (sync.getReplayPaused()) {
            text.append("; replay is paused on the secondary (resume it with select pg_wal_replay_resume())");
            if (status == CheckStatus.CHECK_STATUS_PASS) {
                status = CheckStatus.CHECK_STATUS_WARN;
            }
        }
        if (sync.getReplayWaitsForQueries()) {
            text.append("; replay waits for queries on the secondary that conflict with it (see max_standby_streaming_delay"
                    + " and hot_standby_feedback)");
        }
        return new Judgement(status, text.toString());
    }

    private static Judgement fail(String sentence) {
        return new Judgement(CheckStatus.CHECK_STATUS_FAIL, sentence);
    }
}
