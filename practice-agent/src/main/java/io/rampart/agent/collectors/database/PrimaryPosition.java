package io.rampart.agent.collectors.database;

import java.time.Duration;
import java.time.Instant;

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
 */
public record PrimaryPosition(boolean inRecovery, Lsn position, XidSnapshot snapshot, Instant now, long systemIdentifier,
        Instant startedAt, Duration archiveTimeout) {
}
