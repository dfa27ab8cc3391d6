package io.rampart.controlplane.compliance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.audit.AuditEntry;

/**
 * When practices were in one group: the compliance report counts a practice's states for a group only while the practice
 * was in it. The facts come from the audit log's {@code practice.moved} records, which PracticeLifecycle.move writes in
 * the move's own transaction with the practice (its {@code groupId}) before and after, so there is no move without one.
 * A practice no move record names has always been in the group it is in now.
 */
record GroupMembership(UUID groupId, Map<UUID, List<Move>> moves) {

    /** The practice joined the group ({@code joined}) or left it at {@code at}. */
    record Move(Instant at, boolean joined) {
    }

    /** Every move into or out of the group among the provider's practices, oldest first. */
    static GroupMembership of(UUID providerId, UUID groupId, ObjectMapper json) {
        Map<UUID, List<Move>> moves = new HashMap<>();
        String group = groupId.toString();
        // moves are rare (a practice changes group a few times in its life), so a provider's are read whole
        for (AuditEntry entry : AuditEntry.<AuditEntry> list("providerId = ?1 and action = 'practice.moved' order by occurredAt, id",
                providerId)) {
            boolean left = group.equals(groupIdIn(entry.before, json));
            boolean joined = group.equals(groupIdIn(entry.after, json));
            if (left != joined) {
                moves.computeIfAbsent(entry.practiceId, id -> new ArrayList<>()).add(new Move(entry.occurredAt, joined));
            }
        }
        return new GroupMembership(groupId, moves);
    }

    /** The practices that were moved into or out of the group at some time. */
    Set<UUID> moved() {
        return moves.keySet();
    }

    /**
     * Whether the practice (now in {@code currentGroup}) was in the group at {@code at}, counting a move at that very
     * instant when {@code inclusive} (the start of a period), not when not (its end, which belongs to the next period).
     */
    boolean member(UUID practiceId, UUID currentGroup, Instant at, boolean inclusive) {
        List<Move> own = moves.get(practiceId);
        if (own == null) {
            return groupId.equals(currentGroup);
        }
        // before its first move to or from the group, it was there exactly when that move took it away
        boolean member = !own.get(0).joined();
        for (Move move : own) {
            if (move.at().isBefore(at) || inclusive && move.at().equals(at)) {
                member = move.joined();
            }
        }
        return member;
    }

    /** The practice's moves into or out of the group strictly after {@code from} and before {@code to}, oldest first. */
    List<Move> within(UUID practiceId, Instant from, Instant to) {
        return moves.getOrDefault(practiceId, List.of()).stream().filter(m -> m.at().isAfter(from) && m.at().isBefore(to)).toList();
    }

    /** Whether the practice was in the group at some time in [from, to). */
    boolean memberDuring(UUID practiceId, UUID currentGroup, Instant from, Instant to) {
        return member(practiceId, currentGroup, from, true) || within(practiceId, from, to).stream().anyMatch(Move::joined);
    }

    private static String groupIdIn(String state, ObjectMapper json) {
        if (state == null) {
            return null;
        }
        try {
            return json.readTree(state).path("groupId").asText(null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An audit record of a move is not JSON: " + e.getMessage(), e);
        }
    }
}
