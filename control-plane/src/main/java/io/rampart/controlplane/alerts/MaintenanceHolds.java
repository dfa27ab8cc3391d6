package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.maintenance.MaintenanceConditions;
import io.rampart.controlplane.maintenance.MaintenanceWindow;
import io.rampart.controlplane.maintenance.MaintenanceWindows;
import io.rampart.controlplane.tenancy.Practice;

/**
 * What a maintenance window (package maintenance) means for the alerting, in one place:
 * <ul>
 * <li>Held: no delivery about a practice (email or webhook call, of any kind) is sent while a window covers it
 * ({@link #NOT_HELD}, part of the delivery job's claim); at the window's end (or when it is ended early) what was written
 * meanwhile goes out, so what is still failing is told then. Alerts still open and close as the rules say: the alert
 * history is complete.</li>
 * <li>Dropped: an alert that recovers inside a window before anyone was told of it ({@link #recoveredUntold}) is told to
 * nobody: its failure deliveries become SKIPPED with the reason, and no recovery is written. If its failure (or warning)
 * was already sent, or tried, the recovery is owed as usual and waits for the window's end.</li>
 * <li>Reminders and escalations are not written while a window covers the practice, nor within their interval after it
 * ends: the failure email at the window's end counts as the alert's last word (AlertReminders, AlertEscalations).</li>
 * </ul>
 * Webhooks are held like emails. A ticketing tool would otherwise open a ticket for each failure of planned work; the tools'
 * own maintenance windows do the same (PagerDuty triggers no incident for a service in maintenance and drops its events,
 * Opsgenie disables the integration, Datto RMM raises no ticket and raises it at the end if the condition still holds,
 * incident.io holds alerts and re-processes those still firing when the window ends). Rampart holds rather than drops,
 * so what still fails at the end reaches the tool then, and a recovery never reaches a tool that was not told of the failure.
 */
@ApplicationScoped
class MaintenanceHolds {

    /** JPQL on Notification {@code n} with parameter {@code now}: its practice is not in a maintenance window now. */
    static final String NOT_HELD = " not" + MaintenanceConditions.coveredJpql("n.practiceId", "now", "now");

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final List<Notification.Kind> FAILURE_SIDE = List.of(Notification.Kind.WARNING, Notification.Kind.FAILURE,
            Notification.Kind.REMINDER);

    @Inject
    MaintenanceWindows windows;
    @Inject
    EntityManager entityManager;
    @Inject
    NotificationSettings notificationSettings;

    /**
     * When an email due since its {@code nextAttemptAt} may go out at {@code now}: {@code now}, unless a window held it
     * meanwhile and now falls in its group's quiet hours, which it would have waited for had it been written now (a
     * window from 18:00 to 02:00 must not wake the practice manager at 02:00 about a non-critical rule; critical ones go).
     */
    Instant releaseAfterHold(Notification email, Instant now) {
        if (email.channel != Notification.Channel.EMAIL || email.alertId == null || email.practiceId == null || email.groupId == null) {
            return now;
        }
        boolean held = entityManager.createQuery("select count(p) from Practice p where p.id = :practice and"
                + MaintenanceConditions.coveredJpql("p.id", "since", "now"), Long.class)
                .setParameter("practice", email.practiceId).setParameter("since", email.nextAttemptAt).setParameter("now", now)
                .getSingleResult() > 0;
        if (!held) {
            return now;
        }
        Alert alert = Alert.findById(email.alertId);
        return alert == null ? now : notificationSettings.forGroup(email.groupId).releaseAt(alert.ruleId, now);
    }

    /**
     * For an alert resolving at {@code now}: true when a window covers its practice and none of its failure, warning or
     * reminder deliveries was sent or even tried; those are then SKIPPED, with the reason, and the caller writes no recovery.
     */
    boolean recoveredUntold(Practice practice, Alert alert, Instant now) {
        Optional<MaintenanceWindow> window = windows.inEffect(practice.id, now);
        if (window.isEmpty()) {
            return false;
        }
        // locked, so that a delivery claimed just as the window ended has its attempt counted before this reads it
        List<Notification> told = Notification.<Notification> find("alertId = ?1 and kind in ?2", alert.id, FAILURE_SIDE)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        boolean untold = told.stream().allMatch(n -> n.status == Notification.Status.PENDING && n.attempts == 0);
        if (!untold) {
            return false;
        }
        String reason = "Not sent: " + AlertEmails.adviceFor(alert.ruleId).title() + " failed and recovered inside the maintenance window until "
                + AT.format(window.get().endsAt) + " (" + window.get().reason + "), so there was nothing to tell";
        for (Notification notification : told) {
            notification.status = Notification.Status.SKIPPED;
            notification.lastError = reason;
        }
        return true;
    }
}
