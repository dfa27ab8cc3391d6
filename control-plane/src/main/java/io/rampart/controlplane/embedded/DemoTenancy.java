package io.rampart.controlplane.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rampart.controlplane.alerts.settings.GroupNotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.ProviderNotificationSettings;
import io.rampart.controlplane.contacts.Contact;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.Provider;

/**
 * The demo's providers, groups and practices, with the ids the demo realm's users carry
 * (deploy/keycloak: rampart-realm.json). Two providers and two groups, so that signing in as
 * different people shows tenant isolation at work.
 */
@ApplicationScoped
public class DemoTenancy {

    private static final Logger LOG = Logger.getLogger(DemoTenancy.class);

    public static final UUID NORTHWIND = UUID.fromString("00000000-0000-4000-8000-000000000001");
    public static final UUID SOUTHERN = UUID.fromString("00000000-0000-4000-8000-000000000002");
    public static final UUID COASTAL = UUID.fromString("00000000-0000-4000-8000-000000000010");
    public static final UUID INLAND = UUID.fromString("00000000-0000-4000-8000-000000000020");
    public static final UUID SOUTHERN_GROUP = UUID.fromString("00000000-0000-4000-8000-000000000030");
    public static final UUID HARBOUR_STREET = UUID.fromString("00000000-0000-4000-8000-000000000101");
    public static final UUID RIVERSIDE = UUID.fromString("00000000-0000-4000-8000-000000000102");
    public static final UUID HILLTOP = UUID.fromString("00000000-0000-4000-8000-000000000103");
    public static final UUID MOORLAND = UUID.fromString("00000000-0000-4000-8000-000000000201");
    public static final UUID BAYSIDE = UUID.fromString("00000000-0000-4000-8000-000000000301");

    @Inject
    Clock clock;

    /** Creates what is missing; safe to call on every start. */
    public void seed() {
        QuarkusTransaction.requiringNew().run(() -> {
            if (Provider.findById(NORTHWIND) != null) {
                addMissingChecks();
                addMissingContacts(clock.instant());
                return;
            }
            Instant now = clock.instant();
            provider(NORTHWIND, "Northwind IT Services", now);
            provider(SOUTHERN, "Southern IT Partners", now);
            group(COASTAL, NORTHWIND, "Coastal Medical Group", "Europe/London", now);
            group(INLAND, NORTHWIND, "Inland Health Group", "Europe/London", now);
            group(SOUTHERN_GROUP, SOUTHERN, "Bayside Clinics", "Australia/Melbourne", now);
            practice(HARBOUR_STREET, COASTAL, NORTHWIND, "Harbour Street Surgery", now);
            practice(RIVERSIDE, COASTAL, NORTHWIND, "Riverside Family Practice", now);
            practice(HILLTOP, COASTAL, NORTHWIND, "Hilltop Medical Centre", now);
            practice(MOORLAND, INLAND, NORTHWIND, "Moorland Health Centre", now);
            practice(BAYSIDE, SOUTHERN_GROUP, SOUTHERN, "Bayside Family Clinic", now);
            addMissingContacts(now);
            LOG.info("Seeded the demo providers, groups and practices");
        });
    }

    private static void provider(UUID id, String name, Instant now) {
        Provider provider = new Provider();
        provider.id = id;
        provider.name = name;
        provider.createdAt = now;
        provider.persist();
    }

    private static void group(UUID id, UUID providerId, String name, String timeZone, Instant now) {
        PracticeGroup group = new PracticeGroup();
        group.id = id;
        group.providerId = providerId;
        group.name = name;
        group.timeZone = timeZone;
        group.createdAt = now;
        group.persist();
        addChecks(group);
    }

    /**
     * Who the demo's failure emails go to (shown at /demo/mail): the provider's service desk for
     * every practice of its groups, and each practice's manager.
     */
    private static void addMissingContacts(Instant now) {
        contact(COASTAL, NORTHWIND, null, "Northwind service desk", "servicedesk@northwind.example", Contact.Role.IT_CONTACT, now);
        contact(INLAND, NORTHWIND, null, "Northwind service desk", "servicedesk@northwind.example", Contact.Role.IT_CONTACT, now);
        contact(SOUTHERN_GROUP, SOUTHERN, null, "Southern IT help desk", "help@southern-it.example", Contact.Role.IT_CONTACT, now);
        contact(COASTAL, NORTHWIND, HARBOUR_STREET, "Helen Marsh", "practice.manager@harbour-street.example", Contact.Role.PRACTICE_MANAGER, now);
        contact(COASTAL, NORTHWIND, RIVERSIDE, "Ravi Patel", "practice.manager@riverside.example", Contact.Role.PRACTICE_MANAGER, now);
        contact(COASTAL, NORTHWIND, HILLTOP, "Hannah Lee", "practice.manager@hilltop.example", Contact.Role.PRACTICE_MANAGER, now);
        contact(INLAND, NORTHWIND, MOORLAND, "Mark Moor", "practice.manager@moorland.example", Contact.Role.PRACTICE_MANAGER, now);
        contact(SOUTHERN_GROUP, SOUTHERN, BAYSIDE, "Beth Sands", "practice.manager@bayside.example", Contact.Role.PRACTICE_MANAGER, now);
        contact(COASTAL, NORTHWIND, null, "Grace Okafor", "grace@example.org", Contact.Role.GROUP_MANAGER, now);
        addMissingNotificationSettings(now);
    }

    /**
     * Northwind escalates unacknowledged critical alerts to its on-call address after two hours and
     * sends its service desk a digest at 07:00; Coastal keeps its evenings quiet and Grace gets the
     * group's digest at 07:30, London time.
     */
    private static void addMissingNotificationSettings(Instant now) {
        if (ProviderNotificationSettings.findById(NORTHWIND) == null) {
            ProviderNotificationSettings northwind = new ProviderNotificationSettings();
            northwind.providerId = NORTHWIND;
            northwind.onCallEmail = "oncall@northwind.example";
            northwind.escalateAfterSeconds = NotificationSettings.DEFAULT_ESCALATE_AFTER.toSeconds();
            northwind.digestEmail = "servicedesk@northwind.example";
            northwind.timeZone = "Europe/London";
            northwind.digestTime = NotificationSettings.DEFAULT_DIGEST_TIME;
            northwind.updatedBy = "demo";
            northwind.updatedAt = now;
            northwind.persist();
        }
        if (GroupNotificationSettings.findById(COASTAL) == null) {
            GroupNotificationSettings coastal = new GroupNotificationSettings();
            coastal.groupId = COASTAL;
            coastal.providerId = NORTHWIND;
            coastal.quietFrom = LocalTime.of(20, 0);
            coastal.quietTo = LocalTime.of(7, 0);
            coastal.criticalRules = String.join(",", NotificationSettings.DEFAULT_CRITICAL_RULES);
            coastal.digestTime = LocalTime.of(7, 30);
            coastal.updatedBy = "demo";
            coastal.updatedAt = now;
            coastal.persist();
        }
    }

    private static void contact(UUID groupId, UUID providerId, UUID practiceId, String name, String email, Contact.Role role, Instant now) {
        if (Contact.count("email = ?1 and groupId = ?2", email, groupId) > 0) {
            return;
        }
        Contact contact = new Contact();
        contact.id = UUID.randomUUID();
        contact.providerId = providerId;
        contact.groupId = groupId;
        contact.practiceId = practiceId;
        contact.name = name;
        contact.email = email;
        contact.role = role;
        contact.createdBy = "demo";
        contact.createdAt = now;
        contact.persist();
    }

    /** Data of an earlier version of the demo gets the checks added since. */
    private static void addMissingChecks() {
        for (UUID groupId : new UUID[] { COASTAL, INLAND, SOUTHERN_GROUP }) {
            PracticeGroup group = PracticeGroup.findById(groupId);
            if (group != null) {
                addChecks(group);
            }
        }
    }

    private static void addChecks(PracticeGroup group) {
        // Checked every minute so the demo moves; a real group would check every 15 minutes.
        for (CheckDefinition check : new CheckDefinition[] {
                folderCheck(group.id, group.providerId, "nas-copy"),
                folderCheck(group.id, group.providerId, "usb-copy"),
                reportedJob(group.id, group.providerId, "system-image"),
                usbRotation(group.id, group.providerId) }) {
            if (CheckDefinition.findById(new CheckDefinition.Key(check.groupId, check.checkId)) == null) {
                check.persist();
            }
        }
    }

    /** Which of the rotated USB drives is attached, and since when (the same drive as usb-copy's). */
    private static CheckDefinition usbRotation(UUID groupId, UUID providerId) {
        CheckDefinition check = new CheckDefinition();
        check.providerId = providerId;
        check.groupId = groupId;
        check.checkId = "usb-rotation";
        check.kind = "USB_ROTATION";
        check.intervalSeconds = 60;
        check.settings = "{\"maxAttached\": \"" + Duration.ofDays(7).toSeconds() + "s\", \"minDrives\": 2}";
        return check;
    }

    /** The nightly bare-metal image, which the imaging software reports with `rampart-agent report`. */
    private static CheckDefinition reportedJob(UUID groupId, UUID providerId, String checkId) {
        CheckDefinition check = new CheckDefinition();
        check.providerId = providerId;
        check.groupId = groupId;
        check.checkId = checkId;
        check.kind = "REPORTED_JOB";
        check.intervalSeconds = 60;
        check.settings = "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\"}";
        return check;
    }

    private static void practice(UUID id, UUID groupId, UUID providerId, String name, Instant now) {
        Practice practice = new Practice();
        practice.id = id;
        practice.providerId = providerId;
        practice.groupId = groupId;
        practice.name = name;
        practice.createdAt = now;
        practice.persist();
    }

    private static CheckDefinition folderCheck(UUID groupId, UUID providerId, String checkId) {
        CheckDefinition check = new CheckDefinition();
        check.providerId = providerId;
        check.groupId = groupId;
        check.checkId = checkId;
        check.kind = "BACKUP_FOLDER";
        check.intervalSeconds = 60;
        check.settings = "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"minSizeBytes\": \"1024\"}";
        return check;
    }
}
