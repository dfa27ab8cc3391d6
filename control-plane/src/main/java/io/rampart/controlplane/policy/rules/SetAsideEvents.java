package io.rampart.controlplane.policy.rules;

import java.time.Instant;
import java.util.Optional;

/**
 * Events a practice's agents hold aside because the control plane refused them as unstorable (INVALID_ARGUMENT
 * naming them), from their latest heartbeats: evidence the control plane has never seen.
 *
 * @param events   how many, summed over the practice's agents; 0 when none
 * @param oldestAt when the oldest was set aside (the agent's clock); empty when none or not said
 */
public record SetAsideEvents(long events, Optional<Instant> oldestAt) {

    public static final SetAsideEvents NONE = new SetAsideEvents(0, Optional.empty());

    /** Both agents' events together, the older of their oldest. */
    public SetAsideEvents plus(SetAsideEvents other) {
        Optional<Instant> oldest = oldestAt.isEmpty() ? other.oldestAt()
                : other.oldestAt().isEmpty() ? oldestAt
                : Optional.of(oldestAt.get().isBefore(other.oldestAt().get()) ? oldestAt.get() : other.oldestAt().get());
        return new SetAsideEvents(events + other.events(), oldest);
    }
}
