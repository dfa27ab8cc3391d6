package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.jpa.SpecHints;
import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the emails (and webhook calls) owed, each in a transaction of its own that holds its row locked (skip
 * locked: replicas never send the same one). A mail server that refuses or is down leaves the
 * email pending with the error and a later attempt (1 min, doubling, at most an hour): delayed,
 * never lost. Marked sent once the server took it.
 */
@ApplicationScoped
public class NotificationDelivery {

    private static final Logger LOG = Logger.getLogger(NotificationDelivery.class);
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);

    @Inject
    Mailer mailer;
    @Inject
    EntityManager entityManager;
    @Inject
    Clock clock;
    @Inject
    AlertReminders reminders;

    @Scheduled(every = "${rampart.notifications.send-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendScheduled() {
        reminders.remindDue(clock.instant());
        while (sendNext(clock.instant())) {
            // one email per transaction, until none is due
        }
    }

    /** Sends the next email due at {@code now}; false when none is. */
    @Transactional
    public boolean sendNext(Instant now) {
        List<Notification> due = entityManager.createQuery(
                "from Notification where status = :pending and nextAttemptAt <= :now order by nextAttemptAt", Notification.class)
                .setParameter("pending", Notification.Status.PENDING).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // SKIP LOCKED
                .setMaxResults(1).getResultList();
        if (due.isEmpty()) {
            return false;
        }
        Notification notification = due.get(0);
        notification.attempts++;
        try {
            if (notification.channel == Notification.Channel.WEBHOOK) {
                Webhook webhook = Webhook.findById(notification.webhookId);
                if (webhook == null) {
                    // removed since: nobody to call any more
                    notification.status = Notification.Status.SENT;
                    notification.lastError = "the webhook was removed before it could be called";
                    return true;
                }
                WebhookCalls.post(webhook.url, webhook.secret, notification.body);
            } else {
                mailer.send(Mail.withText(notification.recipient, notification.subject, notification.body));
            }
            notification.status = Notification.Status.SENT;
            notification.sentAt = clock.instant();
            notification.lastError = null;
        } catch (RuntimeException e) {
            notification.lastError = describe(e);
            notification.nextAttemptAt = now.plus(backoff(notification.attempts));
            LOG.warnf("Email to %s not sent (attempt %d, next at %s): %s", notification.recipient, notification.attempts,
                    notification.nextAttemptAt, notification.lastError);
        }
        return true;
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
