package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings.ForGroup;
import io.rampart.controlplane.contacts.Contact;
import io.rampart.controlplane.contacts.ContactBook;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.compliance.v1.ComplianceChanged;

/**
 * Turns compliance changes into alerts and the emails they owe: a rule that goes FAIL opens an
 * alert (one per practice and rule while it stays failing), a failure email to each of the
 * practice's contacts and a call to each of the provider's webhooks; the rule passing again
 * resolves it with a recovery email and call. A group may ask to hear of AT_RISK too: that opens
 * the alert with a warning, and the failure email follows if the rule fails. Each compliance
 * event is applied once (processed_compliance_event), so a replay sends nothing twice.
 *
 * <p>While a practice's agent is silent ({@link AgentSilence}), its other rules' failures open silenced alerts that
 * nobody is emailed (nor webhooks called) about: the agent-heartbeat alert's one "not reporting" email names what is
 * unknown. A silenced alert whose rule passes ends quietly; when the agent reports again, the silenced alerts still
 * open are told as ordinary failures, held for the group window like any other, so that one whose fresh evidence
 * passes within the window is never emailed. Failures, warnings and recoveries are grouped per practice
 * ({@link IncidentGrouping}); a failure that recovered before its email went out is not sent, nor is its recovery.
 */
@ApplicationScoped
public class Alerting {

    private static final Logger LOG = Logger.getLogger(Alerting.class);

    @Inject
    EntityManager entityManager;
    @Inject
    ContactBook contacts;
    @Inject
    RampartConfig config;
    @Inject
    Clock clock;
    @Inject
    ObjectMapper json;
    @Inject
    WebLinks links;
    @Inject
    NotificationSettings notificationSettings;
    @Inject
    AgentSilence silence;
    @Inject
    IncidentGrouping incidents;
    @Inject
    AlertMeters meters;
    @Inject
    MaintenanceHolds maintenance;

    @Transactional(TxType.MANDATORY)
    public void apply(List<ComplianceChanged> changes) {
        Map<UUID, ForGroup> groupSettings = new HashMap<>();
        for (ComplianceChanged change : changes) {
            if (change.getRuleId().isEmpty() || !firstTime(change) || superseded(change)) {
                // the practice's overall state is not an alert of its own; a replayed event was applied already; a change
                // replayed from the dead letters after a newer one of its rule must not reopen or resolve that rule's alert
                continue;
            }
            Practice practice = Practice.findById(UUID.fromString(change.getPracticeId()));
            if (practice == null || practice.decommissioned()) {
                // a decommissioned practice's alerts were closed with it; a change evaluated just before must not reopen one
                continue;
            }
            ForGroup settings = groupSettings.computeIfAbsent(practice.groupId, notificationSettings::forGroup);
            Optional<Alert> open = Alert.<Alert> find("practiceId = ?1 and ruleId = ?2 and status <> ?3", practice.id, change.getRuleId(),
                    Alert.Status.RESOLVED).firstResultOptional();
            Instant at = ProtoTime.instant(change.getChangedAt());
            switch (change.getStatus()) {
                case COMPLIANCE_STATUS_FAIL -> {
                    if (open.isEmpty()) {
                        openAlert(practice, change, Alert.Level.FAIL, at, settings);
                    } else if (open.get().level == Alert.Level.AT_RISK) {
                        worsen(practice, open.get(), change, settings);
                    } else {
                        open.get().reason = change.getReason();
                    }
                }
                case COMPLIANCE_STATUS_AT_RISK -> {
                    if (open.isEmpty() && settings.alertOnAtRisk()) {
                        openAlert(practice, change, Alert.Level.AT_RISK, at, settings);
                    } else if (open.isPresent() && AgentSilence.isSilence(open.get())) {
                        // the agent calls in again but not well (its clock, events set aside): it is no longer silent, so
                        // what its silence hid is told now; the heartbeat's own alert stays open until it passes
                        tellSilenced(practice, settings);
                    }
                }
                case COMPLIANCE_STATUS_PASS -> open.ifPresent(alert -> resolve(practice, alert, change, at, settings));
                default -> {
                    // UNKNOWN turns into FAIL after its grace; that change opens the alert
                }
            }
        }
    }

    /** Within this of the change's own time, rule_state.since is that change (stored to the microsecond, rounded). */
    private static final java.time.Duration SAME_CHANGE = java.time.Duration.ofMillis(1);

    /** True when the rule's state changed again after this change (the compliance evaluation's rule_state says since when). */
    private boolean superseded(ComplianceChanged change) {
        @SuppressWarnings("unchecked")
        List<Instant> since = entityManager.createNativeQuery("select since from rule_state where practice_id = ?1 and rule_id = ?2", Instant.class)
                .setParameter(1, UUID.fromString(change.getPracticeId())).setParameter(2, change.getRuleId()).getResultList();
        // PostgreSQL keeps microseconds and rounds the rest, so the change's own state may read up to 0.5 us later than it
        return !since.isEmpty() && since.get(0) != null
                && since.get(0).isAfter(ProtoTime.instant(change.getChangedAt()).plus(SAME_CHANGE));
    }

    private boolean firstTime(ComplianceChanged change) {
        return entityManager.createNativeQuery(
                "insert into processed_compliance_event (event_id, processed_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, UUID.fromString(change.getEventId())).setParameter(2, clock.instant()).executeUpdate() == 1;
    }

    private void openAlert(Practice practice, ComplianceChanged change, Alert.Level level, Instant at, ForGroup settings) {
        Alert alert = new Alert();
        alert.id = UUID.randomUUID();
        alert.providerId = practice.providerId;
        alert.groupId = practice.groupId;
        alert.practiceId = practice.id;
        alert.ruleId = change.getRuleId();
        alert.status = Alert.Status.OPEN;
        alert.level = level;
        alert.reason = change.getReason();
        alert.openedAt = at;
        alert.silenced = silence.silentAt(practice.id, at) && silence.judgedOnAgentEvidence(practice.id, alert.ruleId);
        alert.persist();
        meters.opened(level);
        if (alert.silenced) {
            LOG.infof("Alert opened (%s) while the agent is silent, not emailed: %s at %s: %s", level, alert.ruleId, practice.name, alert.reason);
            return;
        }
        if (level == Alert.Level.AT_RISK) {
            notifyContacts(practice, alert, Notification.Kind.WARNING, AlertEmails.warningSubject(practice, alert.ruleId),
                    AlertEmails.warningBody(practice, alert, practiceUrl(practice)), settings);
        } else {
            notifyOfFailure(practice, alert, settings);
        }
        LOG.infof("Alert opened (%s): %s at %s: %s", level, alert.ruleId, practice.name, alert.reason);
    }

    /**
     * An AT_RISK alert whose rule now fails: the failure email goes out and the alert is open again
     * (an acknowledgement of the risk is not one of the failure), so that reminders and the
     * escalation count from the failure.
     */
    private void worsen(Practice practice, Alert alert, ComplianceChanged change, ForGroup settings) {
        alert.level = Alert.Level.FAIL;
        alert.status = Alert.Status.OPEN;
        alert.acknowledgedAt = null;
        alert.acknowledgedBy = null;
        alert.acknowledgedNote = null;
        alert.reminders = 0;
        alert.lastRemindedAt = null;
        alert.escalatedAt = null;
        alert.reason = change.getReason();
        alert.openedAt = ProtoTime.instant(change.getChangedAt());
        // a warning still held (group window, maintenance, quiet hours) would arrive beside the failure, already stale
        skipUnsent(alert, List.of(Notification.Kind.WARNING),
                "Not sent: it failed at " + AlertEmails.WHEN.format(alert.openedAt) + " before its warning went out");
        meters.opened(Alert.Level.FAIL);
        alert.silenced = alert.silenced
                || silence.silentAt(practice.id, alert.openedAt) && silence.judgedOnAgentEvidence(practice.id, alert.ruleId);
        if (alert.silenced) {
            LOG.infof("Alert now failing while the agent is silent, not emailed: %s at %s: %s", alert.ruleId, practice.name, alert.reason);
            return;
        }
        notifyOfFailure(practice, alert, settings);
        LOG.infof("Alert now failing: %s at %s: %s", alert.ruleId, practice.name, alert.reason);
    }

    /** The failure email, or for agent-heartbeat the one "not reporting" email that names what is unknown. */
    private void notifyOfFailure(Practice practice, Alert alert, ForGroup settings) {
        if (AgentSilence.isSilence(alert)) {
            List<IncidentEmails.Unknown> unknown = silence.unknown(practice.id);
            notifyContacts(practice, alert, Notification.Kind.FAILURE, IncidentEmails.silenceSubject(practice, unknown),
                    IncidentEmails.silenceBody(practice, alert, unknown, practiceUrl(practice)), settings);
        } else {
            notifyContacts(practice, alert, Notification.Kind.FAILURE, AlertEmails.failureSubject(practice, alert.ruleId),
                    AlertEmails.failureBody(practice, alert, practiceUrl(practice)), settings);
        }
    }

    private void resolve(Practice practice, Alert alert, ComplianceChanged change, Instant at, ForGroup settings) {
        alert.status = Alert.Status.RESOLVED;
        alert.resolvedAt = at;
        alert.resolvedReason = change.getReason();
        meters.recovered();
        tellRecovery(practice, alert, at, settings);
        if (AgentSilence.isSilence(alert)) {
            // whether or not its own recovery was emailed (a maintenance window may have held it), the agent reports
            // again, so what its silence hid is told now
            tellSilenced(practice, settings);
        }
    }

    /** The recovery email, unless nobody was told of the failure (it was silenced, held in maintenance, or not yet sent). */
    private void tellRecovery(Practice practice, Alert alert, Instant at, ForGroup settings) {
        if (alert.silenced) {
            // nobody was told it failed: it ends as quietly as it began
            LOG.infof("Alert resolved, opened while the agent was silent, not emailed: %s at %s", alert.ruleId, practice.name);
            return;
        }
        if (maintenance.recoveredUntold(practice, alert, clock.instant())) {
            // failed and recovered inside a maintenance window before anyone was told: nobody is told now either
            LOG.infof("Alert resolved inside a maintenance window, nothing sent: %s at %s", alert.ruleId, practice.name);
            return;
        }
        Set<String> neverTold = skipUnsent(alert, List.of(Notification.Kind.FAILURE, Notification.Kind.WARNING),
                "Not sent: it recovered at " + AlertEmails.WHEN.format(at) + " before its email went out");
        notifyContacts(practice, alert, Notification.Kind.RECOVERY, AlertEmails.recoverySubject(practice, alert.ruleId),
                AlertEmails.recoveryBody(practice, alert, practiceUrl(practice)), settings);
        if (!neverTold.isEmpty()) {
            Notification.update("status = ?1, lastError = ?2 where alertId = ?3 and kind = ?4 and channel = ?5 and status = ?6 and recipient in ?7",
                    Notification.Status.SKIPPED, "Not sent: its failure email was never sent (it recovered first)", alert.id,
                    Notification.Kind.RECOVERY, Notification.Channel.EMAIL, Notification.Status.PENDING, neverTold);
        }
        LOG.infof("Alert resolved: %s at %s", alert.ruleId, practice.name);
    }

    /**
     * Marks SKIPPED the alert's emails of those kinds not yet attempted (a claimed one has an attempt counted, and goes
     * out), and returns their recipients: on recovery, they never heard of the failure, so they get no recovery either.
     */
    private Set<String> skipUnsent(Alert alert, List<Notification.Kind> kinds, String why) {
        entityManager.flush();
        // locked: a delivery claiming one of them meanwhile counts its attempt first, and PostgreSQL re-reads
        // "attempts = 0" once its lock is released, so an email on its way out is never marked SKIPPED behind its back
        List<Notification> unsent = Notification.<Notification> find("alertId = ?1 and channel = ?2 and kind in ?3 and status = ?4 and attempts = 0",
                alert.id, Notification.Channel.EMAIL, kinds, Notification.Status.PENDING)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list();
        Set<String> recipients = new HashSet<>();
        for (Notification notification : unsent) {
            notification.status = Notification.Status.SKIPPED;
            notification.lastError = why;
            recipients.add(notification.recipient);
        }
        return recipients;
    }

    /**
     * The agent reports again: the alerts opened while it was silent and still open are told now, as ordinary failures
     * (or warnings) held for the group window, so that a rule whose fresh evidence passes within it is never emailed.
     * Reminders and the escalation count from now.
     */
    private void tellSilenced(Practice practice, ForGroup settings) {
        for (Alert alert : Alert.<Alert> list("practiceId = ?1 and silenced = true and status <> ?2 order by openedAt", practice.id,
                Alert.Status.RESOLVED)) {
            alert.silenced = false;
            alert.toldAt = clock.instant();
            if (alert.level == Alert.Level.AT_RISK) {
                notifyContacts(practice, alert, Notification.Kind.WARNING, AlertEmails.warningSubject(practice, alert.ruleId),
                        AlertEmails.warningBody(practice, alert, practiceUrl(practice)), settings);
            } else {
                notifyOfFailure(practice, alert, settings);
            }
            LOG.infof("Alert opened while the agent was silent still fails now that it reports: %s at %s", alert.ruleId, practice.name);
        }
    }

    /**
     * Emails (and calls the webhooks of) everyone the practice's alerts concern. Emails about a
     * non-critical rule written in the group's quiet hours wait until they end; failure, warning and
     * recovery emails wait for the rest of their incident (IncidentGrouping). Webhooks do not wait:
     * a ticketing tool does not sleep, and expects one call per alert (one ticket each).
     */
    void notifyContacts(Practice practice, Alert alert, Notification.Kind kind, String subject, String body, ForGroup settings) {
        Set<String> recipients = new LinkedHashSet<>();
        contacts.forPractice(practice.groupId, practice.id).stream().map((Contact c) -> c.email.strip().toLowerCase(Locale.ROOT))
                .forEach(recipients::add);
        Instant now = clock.instant();
        Instant release = incidents.releaseAt(practice, kind, settings, settings.releaseAt(alert.ruleId, now), now);
        for (String recipient : recipients) {
            owe(practice, alert, kind, Notification.Channel.EMAIL, recipient, subject, body, null, release);
        }
        Set<String> called = new HashSet<>();
        for (Webhook webhook : Webhook.<Webhook> list("providerId = ?1 order by createdAt", practice.providerId)) {
            if (!called.add(webhook.url.strip())) {
                continue; // two webhooks to one URL (saved before duplicates were refused): it is called once
            }
            owe(practice, alert, kind, Notification.Channel.WEBHOOK, webhook.url, subject, webhookBody(practice, alert, kind), webhook.id, now);
        }
    }

    /** Tells the provider's on-call address that a critical alert is still unacknowledged; quiet hours do not apply. */
    void escalate(Practice practice, Alert alert, String onCallEmail, Instant now) {
        owe(practice, alert, Notification.Kind.ESCALATION, Notification.Channel.EMAIL, onCallEmail,
                AlertEmails.escalationSubject(practice, alert, now), AlertEmails.escalationBody(practice, alert, now, practiceUrl(practice)),
                null, now);
    }

    /**
     * Writes one delivery owed, unless the same alert already owes this kind to this recipient on this channel:
     * "on conflict do nothing", so that whatever a tenant configured twice is sent once and never fails the
     * transaction that applies everyone's compliance changes.
     */
    private void owe(Practice practice, Alert alert, Notification.Kind kind, Notification.Channel channel, String recipient, String subject,
            String body, UUID webhookId, Instant sendFrom) {
        String to = channel == Notification.Channel.EMAIL ? recipient.strip().toLowerCase(Locale.ROOT) : recipient.strip();
        entityManager.flush(); // the alert it refers to is in the database first
        entityManager.createNativeQuery("""
                insert into notification (id, alert_id, channel, webhook_id, provider_id, group_id, practice_id, kind, sequence, recipient,
                    destination, subject, body, status, attempts, next_attempt_at, created_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'PENDING', 0, ?14, ?15)
                on conflict do nothing""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, alert.id).setParameter(3, channel.name()).setParameter(4, webhookId)
                .setParameter(5, practice.providerId).setParameter(6, practice.groupId).setParameter(7, practice.id)
                .setParameter(8, kind.name()).setParameter(9, kind == Notification.Kind.REMINDER ? alert.reminders : 0)
                .setParameter(10, to).setParameter(11, Notification.destinationOf(channel, to)).setParameter(12, subject)
                .setParameter(13, body).setParameter(14, sendFrom).setParameter(15, clock.instant()).executeUpdate();
    }

    /** What a ticketing or chat tool gets: the alert as JSON, with the same plain words as the email. */
    private String webhookBody(Practice practice, Alert alert, Notification.Kind kind) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", switch (kind) {
            case WARNING -> "alert.at-risk";
            case FAILURE -> "alert.opened";
            case REMINDER -> "alert.reminder";
            case RECOVERY -> "alert.resolved";
            case ESCALATION -> "alert.escalated";
            case DIGEST -> throw new IllegalArgumentException("a digest is not about one alert");
        });
        body.put("alertId", alert.id);
        body.put("practiceId", practice.id);
        body.put("practiceName", practice.name);
        body.put("groupId", practice.groupId);
        body.put("ruleId", alert.ruleId);
        body.put("level", alert.level.name());
        body.put("title", AlertEmails.adviceFor(alert.ruleId).title());
        body.put("reason", kind == Notification.Kind.RECOVERY ? alert.resolvedReason : alert.reason);
        body.put("meaning", AlertEmails.adviceFor(alert.ruleId).meaning());
        body.put("firstStep", AlertEmails.adviceFor(alert.ruleId).firstStep());
        body.put("openedAt", alert.openedAt.toString());
        body.put("resolvedAt", alert.resolvedAt == null ? null : alert.resolvedAt.toString());
        body.put("url", practiceUrl(practice));
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    String practiceUrl(Practice practice) {
        return links.practice(practice);
    }
}
