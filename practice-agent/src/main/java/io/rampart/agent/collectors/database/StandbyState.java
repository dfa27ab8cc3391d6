package io.rampart.agent.collectors.database;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the secondary says of its recovery, read in one query on the secondary.
 *
 * @param inRecovery pg_is_in_recovery(); false once promoted
 * @param replayed pg_last_wal_replay_lsn(), empty when not in recovery
 * @param lastReplayedCommit pg_last_xact_replay_timestamp(): the commit time (the primary's clock) of the last
 *        transaction replayed; empty when it has replayed none since it started
 * @param snapshot pg_current_snapshot(), as replay has built it
 * @param replayPaused pg_is_wal_replay_paused()
 * @param primaryConninfoSet whether primary_conninfo is set; empty when the agent's user may not read it (pg_settings
 *        hides it without pg_read_all_settings). Its value, which may hold a password, is never read.
 * @param restoreCommandSet whether restore_command is set; empty when hidden likewise
 * @param systemIdentifier pg_control_system().system_identifier
 * @param startedAt pg_postmaster_start_time()
 * @param walReceiverTimeout the wal_receiver_timeout setting (0: off)
 * @param receiver its row of pg_stat_wal_receiver, empty when no WAL receiver runs
 * @param slotName its primary_slot_name setting, empty when it uses no slot
 * @param replayWaitsForQueries the startup process waits on a lock, a buffer pin or a recovery conflict (pg_stat_activity):
 *        queries on the secondary hold replay back
 */
public record StandbyState(boolean inRecovery, Optional<Lsn> replayed, Optional<Instant> lastReplayedCommit, XidSnapshot snapshot,
        boolean replayPaused, Optional<Boolean> primaryConninfoSet, Optional<Boolean> restoreCommandSet, long systemIdentifier,
        Instant startedAt, Duration walReceiverTimeout, Optional<WalReceiver> receiver, Optional<String> slotName,
        boolean replayWaitsForQueries) {

    /**
     * A row of pg_stat_wal_receiver.
     *
     * @param status its status ("streaming", "starting", "waiting", "restarting", "stopping"); empty when the agent's
     *        user may not see it (needs pg_read_all_stats)
     * @param lastMessageAge now() - last_msg_receipt_time, both on the secondary's clock
     * @param sender sender_host:sender_port, empty when hidden
     * @param receivedTimeline received_tli, 0 when hidden
     */
    public record WalReceiver(Optional<String> status, Optional<Duration> lastMessageAge, String sender, long receivedTimeline) {
    }
}
