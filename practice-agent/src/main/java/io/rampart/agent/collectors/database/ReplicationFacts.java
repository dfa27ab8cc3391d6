package io.rampart.agent.collectors.database;

import java.time.Duration;

import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.ReplicationMode;
import io.rampart.protocol.agent.v1.ReplicationSlotState;
import io.rampart.protocol.agent.v1.SecondaryRole;
import io.rampart.protocol.agent.v1.WalReceiverState;

/**
 * Classifies a secondary against its primary once, into the facts the event carries (the control plane judges
 * those facts and never these servers' raw answers).
 *
 * <ul>
 * <li>Bytes behind: the primary's WAL position minus the secondary's replayed position (pg_wal_lsn_diff).</li>
 * <li>Time behind, on the primary's clock only: 0 when the secondary has every transaction the primary has finished
 * (so WAL without data on a quiet primary, or a log-shipping standby waiting for the next segment of a primary
 * that wrote nothing, shows no lag); otherwise the primary's now() minus the commit time of the last transaction
 * the secondary replayed, which the primary stamped. A clock difference between the two hosts does not enter.</li>
 * <li>The WAL receiver must be streaming and have heard from its sender within wal_receiver_timeout (at least
 * {@link #MIN_RECEIVER_SILENCE}): the sender sends keepalives well within it (wal_sender_timeout / 2).</li>
 * </ul>
 */
public final class ReplicationFacts {

    /** A receiver quiet for longer than this (or than wal_receiver_timeout when longer) is silent. */
    public static final Duration MIN_RECEIVER_SILENCE = Duration.ofSeconds(60);

    private ReplicationFacts() {
    }

    /** Sets role, positions, bytes and time behind, replication mode, WAL receiver and pause on the observation. */
    public static void into(PrimaryPosition primary, StandbyState standby, DatabaseSyncObservation.Builder observation) {
        SecondaryRole role = role(primary, standby);
        observation.setSecondaryRole(role).setPrimaryIsStandby(primary.inRecovery()).setPrimaryLsn(primary.position().toString())
                .setPrimaryTimeline((int) primary.timeline());
        if (role != SecondaryRole.SECONDARY_ROLE_STANDBY || standby.replayed().isEmpty()) {
            return;
        }
        Lsn replayed = standby.replayed().get();
        long bytes = primary.position().bytesAfter(replayed);
        observation.setReplayLsn(replayed.toString()).setBytesBehind(bytes).setLagAgainstPrimary(true);
        if (bytes == 0 || standby.snapshot().hasFinishedAllOf(primary.snapshot())) {
            observation.setLag(ProtoTime.duration(Duration.ZERO));
        } else if (standby.lastReplayedCommit().isPresent()) {
            Duration behind = Duration.between(standby.lastReplayedCommit().get(), primary.now());
            observation.setLag(ProtoTime.duration(behind.isNegative() ? Duration.ZERO : behind));
        }
        ReplicationMode mode = mode(standby);
        observation.setReplicationMode(mode).setReplayPaused(standby.replayPaused());
        if (mode == ReplicationMode.REPLICATION_MODE_LOG_SHIPPING) {
            observation.setArchiveTimeout(ProtoTime.duration(primary.archiveTimeout())).setArchiveFailing(primary.archiveFailing());
        }
        observation.setWalReceiver(receiver(standby)).setReplayWaitsForQueries(standby.replayWaitsForQueries());
        standby.receiver().ifPresent(receiver -> {
            receiver.status().ifPresent(observation::setWalReceiverStatus);
            receiver.lastMessageAge().ifPresent(age -> observation.setLastMessageAge(ProtoTime.duration(age)));
            observation.setSender(receiver.sender()).setReceivedTimeline((int) receiver.receivedTimeline());
        });
        standby.slotName().ifPresent(slot -> observation.setReplicationSlot(slot).setSlotState(slot(primary, slot)));
    }

    static ReplicationSlotState slot(PrimaryPosition primary, String name) {
        PrimaryPosition.Slot slot = primary.slots().get(name);
        if (slot == null) {
            return ReplicationSlotState.REPLICATION_SLOT_STATE_MISSING;
        }
        if ("lost".equals(slot.walStatus())) {
            return ReplicationSlotState.REPLICATION_SLOT_STATE_LOST;
        }
        return slot.active() ? ReplicationSlotState.REPLICATION_SLOT_STATE_ACTIVE : ReplicationSlotState.REPLICATION_SLOT_STATE_INACTIVE;
    }

    static SecondaryRole role(PrimaryPosition primary, StandbyState standby) {
        if (primary.systemIdentifier() == standby.systemIdentifier() && primary.startedAt().equals(standby.startedAt())) {
            return SecondaryRole.SECONDARY_ROLE_SAME_SERVER;
        }
        if (!standby.inRecovery()) {
            return SecondaryRole.SECONDARY_ROLE_NOT_IN_RECOVERY;
        }
        if (primary.systemIdentifier() != standby.systemIdentifier()) {
            return SecondaryRole.SECONDARY_ROLE_OTHER_CLUSTER;
        }
        return SecondaryRole.SECONDARY_ROLE_STANDBY;
    }

    static ReplicationMode mode(StandbyState standby) {
        if (standby.primaryConninfoSet().isEmpty()) {
            return ReplicationMode.REPLICATION_MODE_NOT_VISIBLE;
        }
        if (standby.primaryConninfoSet().get()) {
            return ReplicationMode.REPLICATION_MODE_STREAMING;
        }
        if (standby.restoreCommandSet().isEmpty()) {
            return ReplicationMode.REPLICATION_MODE_NOT_VISIBLE;
        }
        return standby.restoreCommandSet().get() ? ReplicationMode.REPLICATION_MODE_LOG_SHIPPING : ReplicationMode.REPLICATION_MODE_NONE;
    }

    static WalReceiverState receiver(StandbyState standby) {
        if (standby.receiver().isEmpty()) {
            return WalReceiverState.WAL_RECEIVER_STATE_NOT_RUNNING;
        }
        StandbyState.WalReceiver receiver = standby.receiver().get();
        if (receiver.status().isEmpty()) {
            return WalReceiverState.WAL_RECEIVER_STATE_NOT_VISIBLE;
        }
        if (!"streaming".equals(receiver.status().get())) {
            return WalReceiverState.WAL_RECEIVER_STATE_NOT_STREAMING;
        }
        Duration silence = standby.walReceiverTimeout().compareTo(MIN_RECEIVER_SILENCE) > 0 ? standby.walReceiverTimeout()
                : MIN_RECEIVER_SILENCE;
        boolean silent = receiver.lastMessageAge().map(age -> age.compareTo(silence) > 0).orElse(true);
        return silent ? WalReceiverState.WAL_RECEIVER_STATE_SILENT : WalReceiverState.WAL_RECEIVER_STATE_STREAMING;
    }
}
