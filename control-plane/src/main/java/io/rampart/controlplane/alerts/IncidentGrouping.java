package io.rampart.controlplane.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.hibernate.jpa.SpecHints;

import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings.ForGroup;
import io.rampart.controlplane.tenancy.Practice;

/**
 * Failures of one practice that arrive together go out as one email per person (a NAS that died takes nas-copy,
 * restore-test and archive-retention with it), and so do their recoveries and AT_RISK warnings.
 *
 * <p>How: the first failure (warning, recovery) email of a practice is held for the group's window
 * ({@link ForGroup#groupWindow()}, default 5 min, PT0S: no grouping); the ones written while it is held are given the
 * same release time; at dispatch, the due rows of one recipient, practice and kind are claimed together (skip locked:
 * a row another replica holds is left to it) and sent as one email, and each is marked sent, retried or given up
 * together. A failure that recovered before its email went out is never sent, nor is its recovery
 * ({@link Alerting}: SKIPPED rows).
 *
 * <p>Critical rules wait for the window too: an incident is mostly critical rules (nas-copy and restore-test are
 * critical by default), and sending them apart would defeat the grouping; the window is never longer than 15 minutes
 * ({@link io.rampart.controlplane.alerts.settings.NotificationSettings#LONGEST_GROUP_WINDOW}), so a critical failure
 * is emailed at most 15 minutes after it is seen, and quiet hours still never hold it. Quiet hours (and whatever else
 * pushes a release later) apply on top: an email held until 07:00 gathers everything written before then.
 *
 * <p>Reminders, escalations and digests are not grouped here (each is written on its own schedule). Webhooks are
 * never held nor grouped: ticketing tools expect one call per alert, opened and resolved, to open and close one
 * ticket each.
 */
@ApplicationScoped
public class IncidentGrouping {

    private static final Set<Notification.Kind> GROUPED = Set.of(Notification.Kind.FAILURE, Notification.Kind.WARNING,
            Notification.Kind.RECOVERY);

    @Inject
    EntityManager entityManager;
    @Inject
    AgentSilence silence;
    @Inject
    WebLinks links;
    @Inject
    NotificationSettings settings;

    /** True for a delivery sent together with the others of its incident: a failure, warning or recovery email. */
    static boolean grouped(Notification notification) {
        return notification.channel == Notification.Channel.EMAIL && GROUPED.contains(notification.kind);
    }

    /**
     * When an email of {@code kind} about the practice, written at {@code now} and otherwise due at {@code release},
     * may go out: the release time of the practice's emails of that kind already held and due within the window, or
     * the window's end; never before {@code release} (quiet hours).
     */
    Instant releaseAt(Practice practice, Notification.Kind kind, ForGroup settings, Instant release, Instant now) {
        Duration window = settings.groupWindow();
        if (!GROUPED.contains(kind) || window.isZero() || window.isNegative()) {
            return release;
        }
        Instant windowEnd = now.plus(window);
        List<Instant> held = entityManager.createQuery("""
                select min(nextAttemptAt) from Notification where practiceId = :practice and kind = :kind and channel = :email
                and status = :pending and attempts = 0 and nextAttemptAt > :now and nextAttemptAt <= :windowEnd""", Instant.class)
                .setParameter("practice", practice.id).setParameter("kind", kind).setParameter("email", Notification.Channel.EMAIL)
                .setParameter("pending", Notification.Status.PENDING).setParameter("now", now).setParameter("windowEnd", windowEnd)
                .getResultList();
        Instant grouped = held.isEmpty() || held.get(0) == null ? windowEnd : held.get(0);
        return grouped.isAfter(release) ? grouped : release;
    }

    /**
     * Claims, with the delivery just claimed, the other due rows of its recipient, practice and kind (skip locked), moves
     * their next attempt as the claim moved the first's (nothing when the group's window is PT0S), and, when there are any, writes the one email into the
     * (detached) first's subject and body and their ids into its {@link Notification#groupedWith}. Call inside the
     * claim's transaction, after the first was detached.
     */
    void gather(Notification first, Instant now, Instant sendingUntil) {
        if (!grouped(first) || first.practiceId == null || first.groupId == null) {
            return;
        }
        Duration window = settings.forGroup(first.groupId).groupWindow();
        if (window.isZero() || window.isNegative()) {
            return; // the group asked for each alert's own email, retries included
        }
        List<Notification> others = entityManager.createQuery("""
                from Notification where status = :pending and channel = :email and recipient = :recipient and practiceId = :practice
                and kind = :kind and nextAttemptAt <= :now and id <> :first order by createdAt""", Notification.class)
                .setParameter("pending", Notification.Status.PENDING).setParameter("email", Notification.Channel.EMAIL)
                .setParameter("recipient", first.recipient).setParameter("practice", first.practiceId).setParameter("kind", first.kind)
                .setParameter("now", now).setParameter("first", first.id)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(SpecHints.HINT_SPEC_LOCK_TIMEOUT, -2) // SKIP LOCKED
                .getResultList();
        if (others.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>();
        for (Notification other : others) {
            other.attempts++;
            other.nextAttemptAt = sendingUntil;
            ids.add(other.id);
        }
        entityManager.flush();
        List<UUID> alertIds = new ArrayList<>(List.of(first.alertId));
        others.forEach(other -> alertIds.add(other.alertId));
        List<Alert> alerts = alertIds.stream().map(id -> Alert.<Alert> findById(id)).filter(java.util.Objects::nonNull).toList();
        Practice practice = Practice.findById(first.practiceId);
        List<Alert> stillFailing = Alert.<Alert> list("practiceId = ?1 and status <> ?2 and level = ?3 and id not in ?4 order by openedAt",
                practice.id, Alert.Status.RESOLVED, Alert.Level.FAIL, alertIds);
        List<IncidentEmails.Unknown> unknown = alerts.stream().anyMatch(AgentSilence::isSilence) ? silence.unknown(practice.id) : List.of();
        first.subject = IncidentEmails.subject(practice, first.kind, alerts.size());
        first.body = IncidentEmails.body(practice, first.kind, alerts, stillFailing, links.practice(practice), unknown);
        first.groupedWith = List.copyOf(ids);
    }
}
