package io.rampart.controlplane.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the topics at startup (default observer priority). The consumers of the features (fleet projection, alerts)
 * start themselves after it, observing StartupEvent at priority 2600, and stop themselves on shutdown: the event log
 * knows nothing of the features that read it.
 */
@ApplicationScoped
public class EventLogLifecycle {

    @Inject
    TopicSetup topics;

    void onStart(@Observes StartupEvent event) {
        topics.ensureTopics();
    }
}
