package io.rampart.controlplane.alerts;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.tenancy.Provider;

/**
 * What became of each email and webhook call (NotificationDelivery), tags {@code channel} ({@code email},
 * {@code webhook}) and {@code provider} (the provider's id, a UUID: bounded by the number of providers, and stable
 * when a provider is renamed; {@code none} for a delivery of no provider):
 * <ul>
 * <li>{@code rampart.notifications.sent} ({@code rampart_notifications_sent_total}): delivered (the SMTP server took
 * the email, the webhook answered 2xx).</li>
 * <li>{@code rampart.notifications.failed.attempts} ({@code rampart_notifications_failed_attempts_total}): attempts
 * that failed and will be tried again.</li>
 * <li>{@code rampart.notifications.given.up} ({@code rampart_notifications_given_up_total}): deliveries that failed
 * for good (too many attempts, or a destination that is not allowed): someone was not told.</li>
 * </ul>
 * Counted per replica once the outcome is committed, once per email or webhook call (a grouped email about three
 * alerts is one). Every provider's series exist from 0 before its first delivery
 * ({@link #startAtZero}, each minute): Prometheus' {@code increase()} takes a series' first sample as its baseline,
 * so a counter born at its first give-up would never raise RampartDeliveriesFailing, and RampartDeliveriesRetrying
 * needs a "sent" series that is 0, not absent.
 */
@ApplicationScoped
public class DeliveryMeters {

    private static final String SENT = "rampart.notifications.sent";
    private static final String SENT_HELP = "Emails and webhook calls delivered, by channel and provider";
    private static final String FAILED = "rampart.notifications.failed.attempts";
    private static final String FAILED_HELP = "Attempts to send an email or call a webhook that failed and will be retried, by channel and provider";
    private static final String GIVEN_UP = "rampart.notifications.given.up";
    private static final String GIVEN_UP_HELP = "Emails and webhook calls given up after their last failed attempt, by channel and provider";

    private static final Logger LOG = Logger.getLogger(DeliveryMeters.class);

    @Inject
    MeterRegistry registry;

    /** Registers, at 0, every provider's counters that do not exist yet (one query of the provider ids). */
    @Scheduled(every = "1m", delay = 5, delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void startAtZero() {
        try {
            List<UUID> providers = QuarkusTransaction.requiringNew().call(() -> Provider.<Provider> listAll().stream().map(p -> p.id).toList());
            for (UUID provider : providers) {
                for (Notification.Channel channel : Notification.Channel.values()) {
                    counter(SENT, SENT_HELP, channel, provider);
                    counter(FAILED, FAILED_HELP, channel, provider);
                    counter(GIVEN_UP, GIVEN_UP_HELP, channel, provider);
                }
            }
        } catch (RuntimeException e) {
            // the database's own health check says why; the counters are made at the next run or their first use
            LOG.debugf(e, "Could not list the providers for the delivery counters");
        }
    }

    void sent(Notification delivery) {
        counter(SENT, SENT_HELP, delivery).increment();
    }

    void failedAttempt(Notification delivery) {
        counter(FAILED, FAILED_HELP, delivery).increment();
    }

    void givenUp(Notification delivery) {
        counter(GIVEN_UP, GIVEN_UP_HELP, delivery).increment();
    }

    private Counter counter(String name, String description, Notification delivery) {
        return counter(name, description, delivery.channel, delivery.providerId);
    }

    private Counter counter(String name, String description, Notification.Channel channel, UUID provider) {
        return Counter.builder(name).description(description)
                .tag("channel", channel.name().toLowerCase(Locale.ROOT))
                .tag("provider", provider == null ? "none" : provider.toString())
                .register(registry);
    }
}
