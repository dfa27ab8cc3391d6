package io.rampart.controlplane.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rampart.controlplane.fleet.FleetProjectionConsumer;

/** Creates the topics, then starts the consumers; stops them cleanly on shutdown. */
@ApplicationScoped
public class EventLogLifecycle {

    @Inject
    TopicSetup topics;
    @Inject
    FleetProjectionConsumer fleetProjection;

    void onStart(@Observes StartupEvent event) {
        topics.ensureTopics();
        fleetProjection.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        fleetProjection.stop();
    }
}
