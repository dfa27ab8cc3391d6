package io.rampart.agent.collectors.database;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Where the primary's WAL is, read in one query on the primary.
 *
 * @param inRecovery pg_is_in_recovery(): the "primary" is itself a standby (cascading replication)
 * @param position pg_current_wal_lsn(); on a standby the greater of pg_last_wal_receive_lsn() and pg_last_wal_replay_lsn()
 * @param snapshot pg_current_snapshot(): which transactions it has seen finish
 * @param now now() on the primary's clock (the clock the lag is measured on)
 * @param systemIdentifier pg_control_system().system_identifier, shared by a primary and its physical standbys
 * @param startedAt pg_postmaster_start_time(), which with the identifier tells one server from its copies
 * @param archiveTimeout the archive_timeout setting (0: off)
 * @param timeline the timeline it writes (pg_walfile_name(pg_current_wal_lsn())), or receives when in recovery; 0 unknown
 * @param slots its physical replication slots by name (pg_replication_slots)
 * @param archiveFailing pg_stat_archiver's last failure is later than its last success
 */
public record PrimaryPosition(boolean inRecovery, Lsn position, XidSnapshot snapshot, Instant now, long systemIdentifier,
        Instant startedAt, Duration archiveTimeout, long timeline, Map<String, Slot> slots,
        boolean archiveFailing) {

    /**
     * A physical replication slot.
     *
     * @param active a WAL sender streams through it
     * @param walStatus "reserved", "extended", "unreserved" or "lost" (empty when PostgreSQL does not say)
     */
    public record Slot(boolean active, String walStatus) {
    }
}
