package io.rampart.controlplane.tenancy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.rampart.controlplane.policy.AgentConfigurationChanged;

/** Every agent configuration change announced and committed, as an observer of ConfigurationChanges hears it. */
@ApplicationScoped
public class HeardConfigurationChanges {

    private final List<AgentConfigurationChanged> heard = new CopyOnWriteArrayList<>();

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentConfigurationChanged change) {
        heard.add(change);
    }

    public List<AgentConfigurationChanged> heard() {
        return List.copyOf(heard);
    }
}
