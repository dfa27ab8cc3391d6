package io.rampart.controlplane.alerts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.ProviderNotificationSettings;
import io.rampart.controlplane.maintenance.MaintenanceConditions;
import io.rampart.controlplane.tenancy.Practice;

/**
 * Tells the provider's on-call address when a critical alert has failed for longer than the
 * provider's escalation delay and nobody has acknowledged it: the daytime contacts may be away,
 * and a practice must not go a night without a copy of its data because an email sat unread.
 * Each alert escalates once; providers without an on-call address never escalate. An alert opened
 * while the agent was silent escalates only once its contacts were told of it, counted from then. An alert whose
 * practice was in a maintenance window within the escalation delay does not escalate yet (MaintenanceHolds).
 */
@ApplicationScoped
public class AlertEscalations {

    private static final Logger LOG = Logger.getLogger(AlertEscalations.class);

    @Inject
    EntityManager entityManager;
    @Inject
    Alerting alerting;

    /** Writes the escalations due at {@code now} (the delivery job sends them); returns how many alerts escalated. */
    @Transactional
    public int escalateDue(Instant now) {
        // Chosen in SQL (the provider's delay, the group's critical rules or the defaults), so that alerts
        // that never escalate do not fill the batch; skip locked so that two replicas never both escalate one.
        @SuppressWarnings("unchecked")
        List<UUID> due = entityManager.createNativeQuery("""
                select a.id from alert a
                join provider_notification_settings p on p.provider_id = a.provider_id
                left join group_notification_settings g on g.group_id = a.group_id
                where a.status = 'OPEN' and a.level = 'FAIL' and a.escalated_at is null and p.on_call_email is not null
                  and not a.silenced
                  and coalesce(a.told_at, a.opened_at) <= cast(?1 as timestamptz) - make_interval(secs => p.escalate_after_seconds)
                  and a.rule_id = any(string_to_array(coalesce(g.critical_rules, ?2), ','))
                  and not """ + MaintenanceConditions.coveredSql("a.practice_id",
                "cast(?1 as timestamptz) - make_interval(secs => p.escalate_after_seconds)", "cast(?1 as timestamptz)") + """
                order by a.opened_at
                limit 500
                for update of a skip locked""", UUID.class)
                .setParameter(1, now).setParameter(2, String.join(",", NotificationSettings.DEFAULT_CRITICAL_RULES)).getResultList();
        for (UUID id : due) {
            Alert alert = Alert.findById(id);
            String onCall = ProviderNotificationSettings.<ProviderNotificationSettings> findById(alert.providerId).onCallEmail;
            alert.escalatedAt = now;
            alerting.escalate(Practice.findById(alert.practiceId), alert, onCall, now);
            LOG.infof("Alert escalated to %s: %s at practice %s, failing since %s", onCall, alert.ruleId, alert.practiceId, alert.openedAt);
        }
        return due.size();
    }
}
