package io.rampart.controlplane.alerts;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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
 * Counted per replica, when the outcome is recorded.
 */
@ApplicationScoped
public class DeliveryMeters {

    @Inject
    MeterRegistry registry;

    void sent(Notification delivery) {
        counter("rampart.notifications.sent", "Emails and webhook calls delivered, by channel and provider", delivery).increment();
    }

    void failedAttempt(Notification delivery) {
        counter("rampart.notifications.failed.attempts", "Attempts to send an email or call a webhook that failed and will be retried,"
                + " by channel and provider", delivery).increment();
    }

    void givenUp(Notification delivery) {
        counter("rampart.notifications.given.up", "Emails and webhook calls given up after their last failed attempt, by channel and"
                + " provider", delivery).increment();
    }

    private Counter counter(String name, String description, Notification delivery) {
        return Counter.builder(name).description(description)
                .tag("channel", delivery.channel.name().toLowerCase(Locale.ROOT))
                .tag("provider", delivery.providerId == null ? "none" : delivery.providerId.toString())
                .register(registry);
    }
}
