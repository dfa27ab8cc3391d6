package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.hibernate.jpa.SpecHints;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the emails (and webhook calls) owed, one at a time, claimed with skip locked so replicas
 * never send the same one. A mail server that refuses or is down leaves the
 * email pending with the error and a later attempt (1 min, doubling, at most an hour): delayed,
 * never lost. Marked sent once the server took it.
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);
    /** Longer than a send can take (the mailer and webhook timeouts): a claimed notification is not taken twice meanwhile. */
    private static final Duration SENDING = Duration.ofMinutes(10);

    @Inject
    SmtpSender smtp;
    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;
    @Inject
    AlertReminders reminders;
    @Inject
    AlertEscalations escalations;

    @Scheduled(every = "${rampart.notifications.send-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendScheduled() {
        reminders.remindDue(clock.instant());
        escalations.escalateDue(clock.instant());
        while (sendNext(clock.instant())) {
            // one email per transaction, until none is due
        }
    }

    /**
     * Sends the next email (or webhook call) due at {@code now}; false when none is. It is claimed
     * in one short transaction (its next attempt moved past the time a send can take, so no other
     * replica takes it meanwhile), sent outside any transaction, and its outcome recorded in another.
     */
    public boolean sendNext(Instant now) {
        Optional<Notification> claimed = QuarkusTransaction.requiringNew().call(() -> claim(now));
        if (claimed.isEmpty()) {
            return false;
        }
        Notification notification = claimed.get();
        String error = null;
        try {
            deliver(notification);
        } catch (RuntimeException e) {
            error = describe(e);
        }
        String outcome = error;
        QuarkusTransaction.requiringNew().run(() -> record(notification.id, outcome, now));
        return true;
    }

    private Optional<Notification> claim(Instant now) {
        List<Notification> due = entityManager.createQuery(
                "from Notification where status = :pending and nextAttemptAt <= :now order by nextAttemptAt, createdAt", Notification.class)
                .setParameter("pending", Notification.Status.PENDING).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // SKIP LOCKED
                .setMaxResults(1).getResultList();
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Notification notification = due.get(0);
        notification.attempts++;
        notification.nextAttemptAt = now.plus(SENDING);
        entityManager.flush();
        entityManager.detach(notification);
        return Optional.of(notification);
    }

    private void deliver(Notification notification) {
        if (notification.channel == Notification.Channel.WEBHOOK) {
            Webhook webhook = QuarkusTransaction.requiringNew().call(() -> Webhook.<Webhook> findById(notification.webhookId));
            if (webhook != null) { // a webhook removed since has nobody left to call
                WebhookCalls.post(webhook.url, webhook.secret, notification.body);
            }
        } else {
            smtp.send(notification.recipient, notification.subject, notification.body);
        }
    }

    private void record(UUID notificationId, String error, Instant now) {
        Notification notification = Notification.findById(notificationId);
        if (error == null) {
            notification.status = Notification.Status.SENT;
            notification.sentAt = clock.instant();
            notification.lastError = null;
        } else {
            notification.lastError = error;
            notification.nextAttemptAt = now.plus(backoff(notification.attempts));
            LOG.warnf("%s to %s not sent (attempt %d, next at %s): %s", notification.channel == Notification.Channel.EMAIL ? "Email"
                    : "Webhook call", notification.recipient, notification.attempts, notification.nextAttemptAt, error);
        }
    }

    static Duration backoff(int attempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
        return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}
