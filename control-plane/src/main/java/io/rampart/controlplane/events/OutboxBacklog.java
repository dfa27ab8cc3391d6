package io.rampart.controlplane.events;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.quarkus.runtime.StartupEvent;

/**
 * What waits in the outbox for Kafka: how many rows and how old the oldest is (seconds, by the
 * control plane's clock against the row's created_at). Metrics {@code rampart.outbox.depth} and
 * {@code rampart.outbox.oldest.age} (seconds); OutboxReadiness judges it.
 */
@ApplicationScoped
public class OutboxBacklog {

    /** Gauges are read on every scrape; one query a second at most. */
    private static final Duration MEASURE_AT_MOST_EVERY = Duration.ofSeconds(1);

    @Inject
    AgroalDataSource dataSource;
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
            OffsetDateTime oldest = result.getObject(2, OffsetDateTime.class);
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
}
