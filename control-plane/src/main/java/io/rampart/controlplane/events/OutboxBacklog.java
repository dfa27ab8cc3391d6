package io.rampart.controlplane.events;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.StartupEvent;
import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.fleet.Durations;

/**
 * What waits in the outbox for Kafka: how many rows and how old the oldest is (seconds, by the
 * control plane's clock against the row's created_at). Metrics {@code rampart.outbox.depth} and
 * {@code rampart.outbox.oldest.age}; the readiness check "outbox" is DOWN while the oldest row is
 * older than {@code rampart.outbox.max-age} (5 min): compliance changes and audit records are kept
 * in PostgreSQL but not reaching Kafka, so alerts are late.
 */
@Readiness
@ApplicationScoped
public class OutboxBacklog implements HealthCheck {

    /** Gauges are read on every scrape; one query a second at most. */
    private static final Duration MEASURE_AT_MOST_EVERY = Duration.ofSeconds(1);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    private volatile Backlog cached;
    private volatile long cachedAt;

    /** Rows waiting and the age of the oldest (zero when none waits). */
    public record Backlog(long depth, Duration oldestAge) {
    }

    void registerMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("rampart.outbox.depth", this, backlog -> backlog.recent().depth())
                .description("Records in the outbox not yet acknowledged by Kafka").register(registry);
        TimeGauge.builder("rampart.outbox.oldest.age", this, TimeUnit.SECONDS, backlog -> backlog.recent().oldestAge().toSeconds())
                .description("Age of the oldest record in the outbox (0 when empty)").register(registry);
    }

    /** Measured now, with one query. */
    public Backlog measure() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select count(*), min(created_at) from event_outbox")) {
            result.next();
            Timestamp oldest = result.getTimestamp(2);
            Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now(clock));
            Backlog backlog = new Backlog(result.getLong(1), age.isNegative() ? Duration.ZERO : age);
            cached = backlog;
            cachedAt = System.nanoTime();
            return backlog;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not measure the outbox: " + e.getMessage(), e);
        }
    }

    private Backlog recent() {
        Backlog backlog = cached;
        if (backlog != null && System.nanoTime() - cachedAt < MEASURE_AT_MOST_EVERY.toNanos()) {
            return backlog;
        }
        try {
            return measure();
        } catch (IllegalStateException e) {
            return backlog == null ? new Backlog(0, Duration.ZERO) : backlog;
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("outbox");
        Duration maxAge = config.outbox().maxAge();
        try {
            Backlog backlog = measure();
            boolean keepingUp = backlog.oldestAge().compareTo(maxAge) <= 0;
            response.status(keepingUp).withData("depth", backlog.depth()).withData("oldestAgeSeconds", backlog.oldestAge().toSeconds());
            if (!keepingUp) {
                response.withData("reason", backlog.depth() + " records have waited up to " + Durations.human(backlog.oldestAge())
                        + " for Kafka (limit " + Durations.human(maxAge) + "); they are kept in PostgreSQL and sent when Kafka takes them");
            }
            return response.build();
        } catch (IllegalStateException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
