package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.ReplicationMode;
import io.rampart.protocol.agent.v1.SecondaryRole;

/**
 * db-sync: each database (checks "db-sync", "db-sync-clinical", ...) is replicated to a reachable
 * secondary that is a standby of the primary, at most 15 min behind the primary (measured by the agent against the
 * primary's WAL position, on the primary's clock), its WAL receiver streaming (unless it is fed by log shipping),
 * and the secondary was verified within 24 h.
 *
 * <p>The rule judges the facts the agent classified (role, lag, bytes behind, replication mode, WAL receiver state,
 * replay paused) and says what the agent's summary says, in the same words (DatabaseSyncWords in the agent).
 * Events of older agents, whose lag the secondary measured alone, are judged by that lag as before; a failure they
 * report without a lag fails.
 */
public final class DbSyncRule extends AbstractRule {

    public static final String ID = "db-sync";

    static final String RECEIVER_ADVICE = " (check primary_conninfo on the secondary, the network to the primary,"
            + " the replication slot and pg_hba.conf on the primary)";

    private final Thresholds.DbSync thresholds;
    private final List<String> checkIds;

    public DbSyncRule() {
        this(Thresholds.DbSync.DEFAULT);
    }

    public DbSyncRule(Thresholds.DbSync thresholds) {
        this(thresholds, List.of(ID));
    }

    public DbSyncRule(Thresholds.DbSync thresholds, List<String> checkIds) {
        super(ID);
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        List<RuleVerdict> parts = new ArrayList<>();
        for (CheckEvidence check : evidence.checks(checkIds)) {
            String name = check.checkId().equals(ID) ? "database" : "database " + check.checkId().substring(ID.length() + 1);
            if (!check.result().hasDatabaseSync()) {
                parts.add(RuleVerdict.fail(ID, "the " + name + " sync check could not run: " + check.result().getSummary()));
                continue;
            }
            DatabaseSyncObservation sync = check.result().getDatabaseSync();
            if (sync.getSecondaryReachable() && sync.getPrimaryUnreachable()) {
                // the secondary answered, the primary did not: it cannot be judged, which is no PASS
                parts.add(RuleVerdict.fail(ID, "cannot judge the secondary " + sync.getSecondaryServer() + " against the primary: "
                        + sync.getPrimaryError()));
                continue;
            }
            if (check.failedToRun()) {
                parts.add(RuleVerdict.fail(ID, "the " + name + " sync check could not run: " + check.result().getSummary()));
                continue;
            }
            if (!sync.getSecondaryReachable()) {
                parts.add(RuleVerdict.fail(ID, "the secondary " + name + " server is unreachable"));
                continue;
            }
            boolean measuredAgainstPrimary = sync.getLagAgainstPrimary() || sync.getSecondaryRole() != SecondaryRole.SECONDARY_ROLE_UNSPECIFIED;
            if (measuredAgainstPrimary) {
                RuleVerdict replication = replication(sync);
                parts.add(replication);
                if (sync.getSecondaryRole() != SecondaryRole.SECONDARY_ROLE_STANDBY) {
                    continue;
                }
            } else if (!sync.hasLag() && check.status() == CheckStatus.CHECK_STATUS_FAIL) {
                // an older agent failed the secondary without a lag (e.g. not in recovery): its summary says why
                parts.add(RuleVerdict.fail(ID, "the " + name + " sync check failed: " + check.result().getSummary()));
                continue;
            } else {
                Duration lag = Texts.duration(sync.getLag());
                parts.add(new RuleVerdict(ID, Verdicts.grade(lag, thresholds.maxLag(), thresholds.lagGrace()),
                        name + " lag " + Texts.span(lag) + " (limit " + Texts.span(thresholds.maxLag()) + ")"));
            }
            if (!sync.hasVerifiedAt()) {
                parts.add(RuleVerdict.fail(ID, "the secondary " + name + " was never verified"));
            } else {
                Duration sinceVerified = Duration.between(Texts.instant(sync.getVerifiedAt()), now);
                PracticeStatus status = Verdicts.grade(sinceVerified, thresholds.verifyEvery(), thresholds.verifyGrace());
                parts.add(new RuleVerdict(ID, status, "secondary " + name + " last verified " + Texts.span(sinceVerified) + " ago (limit "
                        + Texts.span(thresholds.verifyEvery()) + ")"));
            }
        }
        return Verdicts.combine(ID, parts);
    }

    /** The secondary against its primary, from the agent's classification: the agent's own sentence and status. */
    private RuleVerdict replication(DatabaseSyncObservation sync) {
        String secondary = "the secondary " + sync.getSecondaryServer();
        String primary = "the primary " + sync.getPrimaryServer() + (sync.getPrimaryIsStandby() ? " (itself a standby)" : "");
        switch (sync.getSecondaryRole()) {
            case SECONDARY_ROLE_SAME_SERVER:
                return RuleVerdict.fail(ID, secondary + " and " + primary + " are the same server: name the standby as the secondary in checks.properties");
            case SECONDARY_ROLE_NOT_IN_RECOVERY:
                return RuleVerdict.fail(ID, secondary + " is not in recovery, so it no longer copies " + primary
                        + " (promoted, or the wrong server?); if both take writes, stop one and rebuild it as a standby");
            case SECONDARY_ROLE_OTHER_CLUSTER:
                return RuleVerdict.fail(ID, secondary + " is a standby of another database, not of " + primary + " (their system identifiers differ)");
            default:
                break;
        }
        PracticeStatus status;
        StringBuilder text = new StringBuilder("secondary ").append(sync.getSecondaryServer()).append(" is ");
        String wal = (sync.hasBytesBehind() ? Texts.bytes(sync.getBytesBehind()) : "an unknown amount") + " of WAL";
        String shipped = sync.getReplicationMode() == ReplicationMode.REPLICATION_MODE_LOG_SHIPPING ? " through log shipping (restore_command)" : "";
        boolean lagTooLong;
        if (sync.hasLag()) {
            Duration lag = Texts.duration(sync.getLag());
            status = Verdicts.grade(lag, thresholds.maxLag(), thresholds.lagGrace());
            lagTooLong = lag.compareTo(thresholds.maxLag()) > 0;
            text.append(Texts.span(lag)).append(" and ").append(wal).append(" behind ").append(primary).append(shipped)
                    .append(lagTooLong ? "; the data-loss objective is " + Texts.span(thresholds.maxLag())
                            : " (data-loss objective " + Texts.span(thresholds.maxLag()) + ")");
        } else {
            status = PracticeStatus.FAIL;
            lagTooLong = true;
            text.append(wal).append(" behind ").append(primary).append(shipped)
                    .append(" and cannot tell since when (it has replayed no transaction since it started)");
        }
        if (sync.getReceivedTimeline() != 0 && sync.getPrimaryTimeline() != 0 && sync.getReceivedTimeline() != sync.getPrimaryTimeline()) {
            status = PracticeStatus.FAIL;
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
                            + Texts.span(Texts.duration(sync.getLastMessageAge())) + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_STREAMING -> "; its WAL receiver is " + sync.getWalReceiverStatus() + ", not streaming"
                            + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_RUNNING -> "; its WAL receiver is not running" + RECEIVER_ADVICE;
                    case WAL_RECEIVER_STATE_NOT_VISIBLE -> "; the agent's database user may not see the WAL receiver: grant it pg_monitor";
                    default -> "";
                };
                if (!receiver.isEmpty()) {
                    status = PracticeStatus.FAIL;
                    text.append(receiver);
                }
            }
            case REPLICATION_MODE_LOG_SHIPPING -> {
                if (sync.getArchiveFailing()) {
                    status = PracticeStatus.FAIL;
                    text.append("; the primary's archive_command is failing, so no new WAL reaches it (see pg_stat_archiver and"
                            + " the primary's log)");
                }
                Duration archiveTimeout = Texts.duration(sync.getArchiveTimeout());
                if (lagTooLong && (archiveTimeout.isZero() || archiveTimeout.compareTo(thresholds.maxLag()) > 0)) {
                    text.append("; the primary's archive_timeout is ").append(archiveTimeout.isZero() ? "off" : Texts.span(archiveTimeout))
                            .append(": set it below the data-loss objective");
                }
            }
            case REPLICATION_MODE_NONE -> {
                status = PracticeStatus.FAIL;
                text.append("; it has neither primary_conninfo nor restore_command, so nothing new reaches it");
            }
            case REPLICATION_MODE_NOT_VISIBLE -> {
                status = PracticeStatus.FAIL;
                text.append("; the agent's database user may not read primary_conninfo and restore_command: grant it pg_monitor");
            }
            default -> {
            }
        }
        switch (sync.getSlotState()) {
            case REPLICATION_SLOT_STATE_MISSING -> {
                status = PracticeStatus.FAIL;
                text.append("; its replication slot ").append(sync.getReplicationSlot()).append(" does not exist on the primary (create it there"
                        + " with select pg_create_physical_replication_slot('").append(sync.getReplicationSlot()).append("'))");
            }
            case REPLICATION_SLOT_STATE_LOST -> {
                status = PracticeStatus.FAIL;
                text.append("; the primary removed WAL its replication slot ").append(sync.getReplicationSlot())
                        .append(" kept for it (wal_status lost): rebuild the standby with pg_basebackup");
            }
            default -> {
            }
        }
        if (sync.getReplayPaused()) {
            text.append("; replay is paused on the secondary (resume it with select pg_wal_replay_resume())");
            status = status.worse(PracticeStatus.AT_RISK);
        }
        if (sync.getReplayWaitsForQueries()) {
            text.append("; replay waits for queries on the secondary that conflict with it (see max_standby_streaming_delay"
                    + " and hot_standby_feedback)");
        }
        return new RuleVerdict(ID, status, text.toString());
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
