package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.hibernate.jpa.SpecHints;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.mail.SmtpSender;

/**
 * Sends the deliveries owed (the notification table is their outbox: one row per email or webhook
 * call, written in the alert's transaction), outside any transaction of the alert consumer.
 *
 * <p>Each replica sends with {@code rampart.notifications.workers} threads, and at most one delivery per
 * destination ({@link Notification#destinationOf}: an email address, a webhook's host and port) at a time, so a
 * dead or slow destination holds one worker for at most the webhook timeouts and never delays another's
 * deliveries; its other deliveries wait their turn while everyone else's are sent. A row is claimed with skip
 * locked, its next attempt moved past the time a send can take, so no other replica takes it meanwhile.
 *
 * <p>A failed attempt leaves the delivery pending with the reason (a fixed vocabulary: never the receiver's answer
 * or the address it resolved to) and a later attempt: 1 min, doubling, at most an hour
 * ({@code rampart.notifications.first-retry}, {@code longest-retry}). After {@code max-attempts} (12), or at once for
 * a destination that is not allowed, it is given up: GIVEN_UP, shown as failed with the attempts and the reason.
 *
 * <p>A failure, warning or recovery email goes out with the other due ones of its recipient, practice and kind, as one
 * email ({@link IncidentGrouping}).
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class);
    /** Longer than a send can take (the mail and webhook timeouts): a claimed delivery is not taken twice meanwhile. */
    private static final Duration SENDING = Duration.ofMinutes(10);
    /** Held emails moved to the end of quiet hours in one claim; the rest are moved at the next. */
    private static final int MAX_MOVED_PER_CLAIM = 20;
    /** Stands for "no destination is busy": SQL has no empty "not in ()". */
    private static final String NONE = "";
    private static final UUID NO_PROVIDER = new UUID(0, 0);

    @Inject
    SmtpSender smtp;
    @Inject
    WebhookCalls webhooks;
    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;
    @Inject
    AlertReminders reminders;
    @Inject
    AlertEscalations escalations;
    @Inject
    RampartConfig config;
    @Inject
    IncidentGrouping incidents;
    @Inject
    DeliveryMeters meters;
    @Inject
    MaintenanceHolds maintenance;

    /** Destinations with a delivery in flight from this replica. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /**
     * Deliveries in flight per provider: one provider (its slow webhooks on several hosts) may hold all workers but
     * one, so another tenant's emails always find a worker.
     */
    private final Map<UUID, Integer> providerInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private ExecutorService workers;

    @PostConstruct
    void start() {
        AtomicInteger number = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.notifications().workers(), task -> {
            Thread thread = new Thread(task, "rampart-delivery-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    @Scheduled(every = "${rampart.notifications.send-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendScheduled() {
        reminders.remindDue(clock.instant());
        escalations.escalateDue(clock.instant());
        dispatchDue(clock.instant());
    }

    /**
     * Hands the deliveries due at {@code now} to the workers, one per destination not already busy and as many as
     * there are idle workers, and returns how many it handed over; a worker that finishes takes the next due one.
     * Returns at once: the sending happens on the workers.
     */
    public int dispatchDue(Instant now) {
        int handed = 0;
        while (inFlight.get() < config.notifications().workers()) {
            Optional<Notification> claimed = claimNext(now);
            if (claimed.isEmpty()) {
                break;
            }
            Notification notification = claimed.get();
            inFlight.incrementAndGet();
            handed++;
            workers.execute(() -> {
                try {
                    attempt(notification, now);
                } finally {
                    release(notification);
                    inFlight.decrementAndGet();
                }
                dispatchDue(now);
            });
        }
        return handed;
    }

    /**
     * Sends the next delivery due at {@code now} in the calling thread; false when none is (or every due one's
     * destination is busy). Claimed in one short transaction, sent outside any, its outcome recorded in another.
     */
    public boolean sendNext(Instant now) {
        Optional<Notification> claimed = claimNext(now);
        if (claimed.isEmpty()) {
            return false;
        }
        try {
            attempt(claimed.get(), now);
        } finally {
            release(claimed.get());
        }
        return true;
    }

    /**
     * Claims the oldest due delivery whose destination is not busy here and whose provider does not hold all workers
     * but one, and marks both busy until {@link #release}.
     */
    private synchronized Optional<Notification> claimNext(Instant now) {
        int share = Math.max(1, config.notifications().workers() - 1);
        List<UUID> crowded = providerInFlight.entrySet().stream().filter(e -> e.getValue() >= share).map(Map.Entry::getKey).toList();
        Optional<Notification> claimed = QuarkusTransaction.requiringNew().call(() -> claim(now, crowded));
        claimed.ifPresent(notification -> {
            busy.add(notification.destination);
            providerInFlight.merge(providerOf(notification), 1, Integer::sum);
        });
        return claimed;
    }

    private synchronized void release(Notification notification) {
        busy.remove(notification.destination);
        providerInFlight.computeIfPresent(providerOf(notification), (provider, count) -> count > 1 ? count - 1 : null);
    }

    private static UUID providerOf(Notification notification) {
        return Objects.requireNonNullElse(notification.providerId, NO_PROVIDER);
    }

    private Optional<Notification> claim(Instant now, List<UUID> crowdedProviders) {
        Optional<Notification> due = oldestDue(now, crowdedProviders);
        // an email a maintenance window held into the group's quiet hours waits for their end (MaintenanceHolds)
        for (int moved = 1; due.isPresent(); moved++) {
            Instant release = maintenance.releaseAfterHold(due.get(), now);
            if (!release.isAfter(now)) {
                break;
            }
            due.get().nextAttemptAt = release;
            entityManager.flush();
            due = moved < MAX_MOVED_PER_CLAIM ? oldestDue(now, crowdedProviders) : Optional.empty();
        }
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Notification notification = due.get();
        notification.attempts++;
        notification.nextAttemptAt = now.plus(SENDING);
        entityManager.flush();
        entityManager.detach(notification);
        // the other due emails of the same incident go in this one (IncidentGrouping)
        incidents.gather(notification, now, notification.nextAttemptAt);
        return Optional.of(notification);
    }

    private Optional<Notification> oldestDue(Instant now, List<UUID> crowdedProviders) {
        List<String> excluded = busy.isEmpty() ? List.of(NONE) : List.copyOf(busy);
        List<UUID> crowded = crowdedProviders.isEmpty() ? List.of(NO_PROVIDER) : crowdedProviders;
        return entityManager.createQuery("""
                from Notification n where n.status = :pending and n.nextAttemptAt <= :now and n.destination not in :busy
                and n.providerId not in :crowded and """ + MaintenanceHolds.NOT_HELD + """
                order by n.nextAttemptAt, n.createdAt""", Notification.class)
                .setParameter("pending", Notification.Status.PENDING).setParameter("now", now).setParameter("busy", excluded)
                .setParameter("crowded", crowded)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // SKIP LOCKED
                .setMaxResults(1).getResultStream().findFirst();
    }

    private void attempt(Notification notification, Instant now) {
        String error = null;
        boolean retryable = true;
        try {
            deliver(notification);
        } catch (WebhookCalls.CallFailed e) {
            error = e.getMessage();
            retryable = e.retryable();
        } catch (RuntimeException e) {
            error = notification.channel == Notification.Channel.EMAIL ? MailFailures.reason(e) : "connection failed";
            LOG.debugf(e, "Delivery %s failed", notification.id);
        }
        String outcome = error;
        boolean again = retryable;
        // an incident's rows were sent as one email: each is sent, retried or given up with it
        Outcome recorded = QuarkusTransaction.requiringNew().call(() -> {
            Outcome first = record(notification.id, outcome, again, now);
            notification.groupedWith.forEach(id -> record(id, outcome, again, now));
            return first;
        });
        // counted once it is recorded, and once per email or call, however many alerts it told of
        switch (recorded) {
            case SENT -> meters.sent(notification);
            case RETRIED -> meters.failedAttempt(notification);
            case GIVEN_UP -> meters.givenUp(notification);
        }
    }

    private enum Outcome {
        SENT, RETRIED, GIVEN_UP
    }

    private void deliver(Notification notification) {
        if (notification.channel == Notification.Channel.WEBHOOK) {
            Webhook webhook = QuarkusTransaction.requiringNew().call(() -> Webhook.<Webhook> findById(notification.webhookId));
            if (webhook == null) {
                throw new WebhookCalls.CallFailed("the webhook was removed", false);
            }
            webhooks.post(webhook.url, webhook.secret, notification.body);
        } else {
            smtp.send(notification.recipient, notification.subject, notification.body);
        }
    }

    private Outcome record(UUID notificationId, String error, boolean retryable, Instant now) {
        Notification notification = Notification.findById(notificationId);
        String channel = notification.channel.name().toLowerCase(java.util.Locale.ROOT);
        if (error == null) {
            notification.status = Notification.Status.SENT;
            notification.sentAt = clock.instant();
            notification.lastError = null;
            return Outcome.SENT;
        }
        notification.lastError = error;
        if (!retryable || notification.attempts >= config.notifications().maxAttempts()) {
            notification.status = Notification.Status.GIVEN_UP;
            LOG.warnf("%s %s given up after %d attempt(s): %s", channel, notification.id, notification.attempts, error);
            return Outcome.GIVEN_UP;
        }
        notification.nextAttemptAt = now.plus(backoff(notification.attempts));
        LOG.warnf("%s %s not sent (attempt %d of %d, next at %s): %s", channel, notification.id, notification.attempts,
                config.notifications().maxAttempts(), notification.nextAttemptAt, error);
        return Outcome.RETRIED;
    }

    /** The wait after {@code attempts} failed attempts: firstRetry doubled each time, at most longestRetry. */
    Duration backoff(int attempts) {
        Duration first = clamp(config.notifications().firstRetry(), Duration.ofSeconds(1), Duration.ofDays(1));
        Duration longest = clamp(config.notifications().longestRetry(), first, Duration.ofDays(7));
        Duration wait = first.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return wait.compareTo(longest) > 0 ? longest : wait;
    }

    private static Duration clamp(Duration value, Duration least, Duration most) {
        return value.compareTo(least) < 0 ? least : value.compareTo(most) > 0 ? most : value;
    }
}
