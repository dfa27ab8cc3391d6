package io.rampart.controlplane.events;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.shared.Durations;

/**
 * Readiness check "outbox": DOWN while the oldest record waiting in the outbox is older than
 * {@code rampart.outbox.max-age} (5 min): compliance changes and audit records are kept in
 * PostgreSQL but are not reaching Kafka, so alerts are late. Data: depth, oldestAgeSeconds, reason.
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {

    @Inject
    OutboxBacklog backlog;
    @Inject
    RampartConfig config;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("outbox");
        Duration maxAge = config.outbox().maxAge();
        try {
            OutboxBacklog.Backlog now = backlog.measure();
            boolean keepingUp = now.oldestAge().compareTo(maxAge) <= 0;
            response.status(keepingUp).withData("depth", now.depth()).withData("oldestAgeSeconds", now.oldestAge().toSeconds());
            if (!keepingUp) {
                response.withData("reason", now.depth() + " records have waited up to " + Durations.human(now.oldestAge())
                        + " for Kafka (limit " + Durations.human(maxAge) + "); they are kept in PostgreSQL and sent when Kafka takes them");
            }
            return response.build();
        } catch (IllegalStateException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
