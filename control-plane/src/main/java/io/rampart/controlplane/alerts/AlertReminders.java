package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.hibernate.jpa.SpecHints;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.maintenance.MaintenanceConditions;
import io.rampart.controlplane.tenancy.Practice;

/**
 * Emails an open alert again while nobody has acknowledged it: failing quietly for days is how
 * practices lose data. Acknowledging stops the reminders; resolving ends the alert. A rule only at
 * risk is not reminded of (its warning and the digest say it); if it fails, the failure is. An alert
 * opened while the agent was silent is not reminded of until its contacts are told of it (AgentSilence), nor is an
 * alert whose practice was in a maintenance window in the last interval (MaintenanceHolds).
 */
@ApplicationScoped
public class AlertReminders {

    @Inject
    EntityManager entityManager;
    @Inject
    Alerting alerting;
    @Inject
    RampartConfig config;
    @Inject
    NotificationSettings settings;

    /** Writes the reminders due at {@code now} (the delivery job sends them); returns how many alerts were reminded of. */
    @Transactional
    public int remindDue(Instant now) {
        // a reminder interval under a minute (a misconfiguration) would email everyone at every delivery run
        java.time.Duration every = config.notifications().remindEvery();
        Instant dueBefore = now.minus(every.compareTo(java.time.Duration.ofMinutes(1)) < 0 ? java.time.Duration.ofMinutes(1) : every);
        List<Alert> due = entityManager.createQuery("""
                from Alert a where a.status = :open and a.level = :failing and a.silenced = false
                and coalesce(a.lastRemindedAt, a.toldAt, a.openedAt) <= :dueBefore
                and not """ + MaintenanceConditions.coveredJpql("a.practiceId", "dueBefore", "now") + """
                order by a.openedAt""", Alert.class)
                .setParameter("open", Alert.Status.OPEN).setParameter("failing", Alert.Level.FAIL).setParameter("dueBefore", dueBefore)
                .setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // SKIP LOCKED
                .setMaxResults(500).getResultList();
        for (Alert alert : due) {
            Practice practice = Practice.findById(alert.practiceId);
            alert.reminders++;
            alert.lastRemindedAt = now;
            alerting.notifyContacts(practice, alert, Notification.Kind.REMINDER, AlertEmails.reminderSubject(practice, alert),
                    AlertEmails.reminderBody(practice, alert, now, alerting.practiceUrl(practice)), settings.forGroup(alert.groupId));
        }
        return due.size();
    }
}
