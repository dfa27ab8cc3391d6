package io.rampart.controlplane.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.alerts.settings.GroupNotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.ProviderNotificationSettings;
import io.rampart.controlplane.contacts.Contact;
import io.rampart.controlplane.contacts.ContactBook;
import io.rampart.controlplane.policy.reviews.PlanReviewResource.ReviewRequest;
import io.rampart.controlplane.policy.reviews.PlanReviews;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * The demo's people and paperwork, made through the same services the REST API uses (and audited as
 * made by "demo"): who the failure emails go to (shown at /demo/mail), each provider's and Coastal's
 * notification settings, and the plan reviews of Coastal's practices. Safe on every start: only
 * what is missing is added.
 */
@ApplicationScoped
public class DemoPeople {

    @Inject
    ContactBook contacts;
    @Inject
    NotificationSettings notificationSettings;
    @Inject
    PlanReviews planReviews;
    @Inject
    Clock clock;

    /** The demo itself, acting as the installation's platform operator (to create the demo's providers). */
    static Caller operator() {
        return new Caller("rampart-demo", "demo", "Rampart demo", Role.PLATFORM_OPERATOR, null);
    }

    /** The demo itself, acting as each provider's admin. */
    static Caller demo(UUID providerId) {
        return new Caller("rampart-demo", "demo", "Rampart demo", Role.PROVIDER_ADMIN, TenantScope.provider(providerId));
    }

    /** Who the failure emails go to, and the notification settings. */
    public void seedContacts() {
        QuarkusTransaction.requiringNew().run(() -> {
            contact(DemoTenancy.COASTAL, null, "Northwind service desk", "servicedesk@northwind.example", Contact.Role.IT_CONTACT);
            contact(DemoTenancy.INLAND, null, "Northwind service desk", "servicedesk@northwind.example", Contact.Role.IT_CONTACT);
            contact(DemoTenancy.SOUTHERN_GROUP, null, "Southern IT help desk", "help@southern-it.example", Contact.Role.IT_CONTACT);
            contact(DemoTenancy.COASTAL, DemoTenancy.HARBOUR_STREET, "Helen Marsh", "practice.manager@harbour-street.example",
                    Contact.Role.PRACTICE_MANAGER);
            contact(DemoTenancy.COASTAL, DemoTenancy.RIVERSIDE, "Ravi Patel", "practice.manager@riverside.example", Contact.Role.PRACTICE_MANAGER);
            contact(DemoTenancy.COASTAL, DemoTenancy.HILLTOP, "Hannah Lee", "practice.manager@hilltop.example", Contact.Role.PRACTICE_MANAGER);
            contact(DemoTenancy.INLAND, DemoTenancy.MOORLAND, "Mark Moor", "practice.manager@moorland.example", Contact.Role.PRACTICE_MANAGER);
            contact(DemoTenancy.SOUTHERN_GROUP, DemoTenancy.BAYSIDE, "Beth Sands", "practice.manager@bayside.example",
                    Contact.Role.PRACTICE_MANAGER);
            contact(DemoTenancy.COASTAL, null, "Grace Okafor", "grace@example.org", Contact.Role.GROUP_MANAGER);
            notificationSettings();
        });
    }

    /** The plan reviews of Coastal's practices (the demo's, not the tests': they record their own). */
    public void seedPlanReviews() {
        QuarkusTransaction.requiringNew().run(this::planReviews);
    }

    /** A contact of the group (practiceId null) or of one practice, unless that address is there already. */
    private void contact(UUID groupId, UUID practiceId, String name, String email, Contact.Role role) {
        if (Contact.count("email = ?1 and groupId = ?2", email, groupId) > 0) {
            return;
        }
        PracticeGroup group = PracticeGroup.findById(groupId);
        contacts.add(demo(group.providerId), group.providerId, groupId, practiceId, new ContactBook.ContactRequest(name, email, role));
    }

    /**
     * Northwind escalates unacknowledged critical alerts to its on-call address after two hours and
     * sends its service desk a digest at 07:00; Coastal keeps its evenings quiet and Grace gets the
     * group's digest at 07:30, London time.
     */
    private void notificationSettings() {
        if (ProviderNotificationSettings.findById(DemoTenancy.NORTHWIND) == null) {
            notificationSettings.update(demo(DemoTenancy.NORTHWIND), DemoTenancy.NORTHWIND, new NotificationSettings.ProviderSettings(
                    "oncall@northwind.example", NotificationSettings.DEFAULT_ESCALATE_AFTER.toString(), "servicedesk@northwind.example",
                    "Europe/London", NotificationSettings.DEFAULT_DIGEST_TIME.toString(), null, null));
        }
        if (GroupNotificationSettings.findById(DemoTenancy.COASTAL) == null) {
            notificationSettings.update(demo(DemoTenancy.NORTHWIND), PracticeGroup.findById(DemoTenancy.COASTAL),
                    new NotificationSettings.GroupSettings(false, new NotificationSettings.QuietHoursSetting("20:00", "07:00"),
                            NotificationSettings.DEFAULT_CRITICAL_RULES, null, "07:30", null, null, null));
        }
    }

    /**
     * Grace reviewed Harbour Street's and Riverside's backup procedures this year; Hilltop's was last
     * reviewed 14 months ago, so its plan-review rule fails (a review is good for 12 months).
     */
    private void planReviews() {
        Instant now = clock.instant();
        review(DemoTenancy.HARBOUR_STREET, now.minus(Duration.ofDays(41)),
                "Walked through the restore runbook with Helen: cloud, NAS and USB copies, UPS shutdown order; standby promotion tested.");
        review(DemoTenancy.RIVERSIDE, now.minus(Duration.ofDays(120)), "Runbook reviewed; USB rotation rota agreed with reception.");
        review(DemoTenancy.HILLTOP, now.minus(Duration.ofDays(425)), "Initial review of the backup procedure at onboarding.");
    }

    private void review(UUID practiceId, Instant reviewedAt, String note) {
        if (planReviews.count("practiceId", practiceId) > 0) {
            return;
        }
        Practice practice = Practice.findById(practiceId);
        planReviews.record(demo(practice.providerId), practice, new ReviewRequest("Grace Okafor", reviewedAt.toString(), note,
                "https://wiki.northwind.example/coastal/" + practiceId + "/backup-runbook"));
    }

}
