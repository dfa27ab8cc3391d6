package io.rampart.controlplane.policy;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * The one place every change that reaches agents' configuration (a policy, a check set, a practice's checks or
 * sources, a practice moved to another group) is announced, inside the change's own transaction: observers with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} see only committed changes.
 */
@ApplicationScoped
public class ConfigurationChanges {

    @Inject
    Event<AgentConfigurationChanged> changes;

    /** Every practice of the group. */
    @Transactional(TxType.MANDATORY)
    public void groupChanged(UUID providerId, UUID groupId) {
        changes.fire(new AgentConfigurationChanged(providerId, groupId, null));
    }

    /** One practice. */
    @Transactional(TxType.MANDATORY)
    public void practiceChanged(UUID providerId, UUID groupId, UUID practiceId) {
        changes.fire(new AgentConfigurationChanged(providerId, groupId, practiceId));
    }
}
