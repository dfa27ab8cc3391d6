package io.rampart.controlplane.alerts;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.rampart.controlplane.tenancy.PracticeDecommissioned;
import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * What the tenancy lifecycle means for alerts, inside the change's transaction. A decommissioned practice's open and
 * acknowledged alerts are resolved with the reason "Practice decommissioned on ... by ...", and its emails and webhook
 * calls not yet sent are given up with that reason: nobody is emailed about a practice being decommissioned (no
 * recovery emails, no reminders, no escalations). A moved practice's unresolved alerts follow it to its new group (its
 * digest, its managers); resolved ones keep the group they were raised in.
 */
@ApplicationScoped
public class AlertTenancyChanges {

    private static final Logger LOG = Logger.getLogger(AlertTenancyChanges.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @jakarta.inject.Inject
    AlertMeters meters;

    void onDecommissioned(@Observes PracticeDecommissioned change) {
        String reason = "Practice decommissioned on " + DAY.format(change.at()) + " by " + change.by()
                + (change.reason() == null ? "" : ": " + change.reason());
        int closed = Alert.update("status = ?1, resolvedAt = ?2, resolvedReason = ?3 where practiceId = ?4 and status <> ?1",
                Alert.Status.RESOLVED, change.at(), reason, change.practice().practiceId());
        meters.closedWithPractice(closed);
        int givenUp = Notification.update("status = ?1, lastError = ?2 where practiceId = ?3 and status = ?4", Notification.Status.GIVEN_UP,
                "Not sent: " + reason, change.practice().practiceId(), Notification.Status.PENDING);
        LOG.infof("Practice %s decommissioned: %d alert(s) closed, %d unsent email(s) and webhook call(s) given up",
                change.practice().practiceId(), closed, givenUp);
    }

    void onMoved(@Observes PracticeMoved move) {
        Alert.update("groupId = ?1 where practiceId = ?2 and status <> ?3", move.toGroupId(), move.practiceId(), Alert.Status.RESOLVED);
    }
}
