package io.rampart.controlplane.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.policy.checks.CheckInput;
import io.rampart.controlplane.policy.checks.CheckSets;
import io.rampart.controlplane.tenancy.Caller;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.Provider;

/**
 * The demo's providers, groups and practices, with the ids the demo realm's users carry
 * (deploy/keycloak: rampart-realm.json). Two providers and two groups, so that signing in as
 * different people shows tenant isolation at work; and each group's check set.
 *
 * <p>The one place the demo makes tenants and check sets: when the REST services for groups,
 * practices and check sets exist, this class calls them instead of persisting the entities itself.
 */
@ApplicationScoped
public class DemoTenancy {

    private static final Logger LOG = Logger.getLogger(DemoTenancy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Inject
    ConfigurationChanges configurationChanges;

    @Inject
    DemoPeople people;
    @Inject
    CheckSets checkSets;

    /** The tenancy, each group's basic check set and the demo's contacts (as tests use them); safe to call at any time. */
    public void seed() {
        seed(Set.of());
        people.seedContacts();
    }

    /**
     * Creates what is missing; safe to call on every start. The Coastal group's check set has the
     * layers this machine can run ({@code layers}); a layer whose tool has gone since is taken out again.
     */
    public void seed(Set<DemoTools.Layer> layers) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (Provider.findById(NORTHWIND) != null) {
                addMissingChecks(layers);
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
            addMissingChecks(layers);
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
    }

    /**
     * Every group gets the checks that need no tool (NAS and USB copies, USB rotation, the reported system image).
     * Harbour Street, the demo practice that runs every layer for real, gets the layers of {@code layers} (read-back,
     * archive, and those of the tools this machine has) as checks of its own, set through the check-set service as a
     * provider admin would ("run its own way" on the practice page); its group's other practices do not run them, so
     * they show those rules as configuration gaps and fail only for their own story. A check of an earlier demo's data
     * takes the settings of this one; the agents hear of each change through ConfigurationChanges.
     */
    private void addMissingChecks(Set<DemoTools.Layer> layers) {
        for (UUID groupId : new UUID[] { COASTAL, INLAND, SOUTHERN_GROUP }) {
            PracticeGroup group = PracticeGroup.findById(groupId);
            if (group == null) {
                continue;
            }
            List<CheckDefinition> wanted = List.of(folderCheck(group.id, group.providerId, "nas-copy", false),
                    folderCheck(group.id, group.providerId, "usb-copy", false), reportedJob(group.id, group.providerId, "system-image"),
                    usbRotation(group.id, group.providerId));
            boolean changed = false;
            for (CheckDefinition check : wanted) {
                CheckDefinition stored = CheckDefinition.findById(new CheckDefinition.Key(check.groupId, check.checkId));
                if (stored == null) {
                    check.persist();
                    changed = true;
                } else if (!stored.kind.equals(check.kind) || !sameJson(stored.settings, check.settings)
                        || stored.intervalSeconds != check.intervalSeconds) {
                    stored.kind = check.kind;
                    stored.settings = check.settings;
                    stored.intervalSeconds = check.intervalSeconds;
                    changed = true;
                }
            }
            // an earlier demo put the layers on the whole group
            List<String> layerIds = new ArrayList<>();
            for (DemoTools.Layer layer : DemoTools.Layer.values()) {
                layerChecks(group, layer).forEach(check -> layerIds.add(check.checkId));
            }
            changed |= CheckDefinition.delete("groupId = ?1 and checkId in ?2", groupId, layerIds) > 0;
            if (changed) {
                configurationChanges.groupChanged(group.providerId, group.id);
            }
        }
        harbourStreetLayers(layers);
    }

    private void harbourStreetLayers(Set<DemoTools.Layer> layers) {
        Practice harbour = Practice.findById(HARBOUR_STREET);
        PracticeGroup group = harbour == null ? null : PracticeGroup.findById(harbour.groupId);
        if (group == null || harbour.decommissioned()) {
            return;
        }
        Caller demo = DemoPeople.demo(harbour.providerId);
        List<CheckDefinition> wanted = new ArrayList<>();
        if (layers.contains(DemoTools.Layer.NAS_READ_BACK)) {
            wanted.add(folderCheck(group.id, group.providerId, "nas-copy", true));
        }
        List<String> leftOut = new ArrayList<>();
        for (DemoTools.Layer layer : DemoTools.Layer.values()) {
            if (layers.contains(layer)) {
                wanted.addAll(layerChecks(group, layer));
            } else {
                layerChecks(group, layer).forEach(check -> leftOut.add(check.checkId));
            }
        }
        // a source before the restore test that restores it
        wanted.sort(java.util.Comparator.comparing((CheckDefinition c) -> c.kind.equals("RESTORE_TEST")));
        for (CheckDefinition check : wanted) {
            PracticeCheck stored = PracticeCheck.findById(new PracticeCheck.Key(harbour.id, check.checkId));
            if (stored == null || stored.removed || !check.kind.equals(stored.kind) || !sameJson(stored.settings, check.settings)
                    || stored.intervalSeconds == null || stored.intervalSeconds != check.intervalSeconds) {
                checkSets.setAtPractice(demo, harbour.id, check.checkId,
                        new CheckInput(check.checkId, check.kind, check.intervalSeconds, json(check.settings)));
            }
        }
        // restore tests first, so no source is reverted from under its restore test
        leftOut.sort(java.util.Comparator.comparing((String id) -> !id.startsWith("restore-test")));
        for (String checkId : leftOut) {
            if (PracticeCheck.findById(new PracticeCheck.Key(harbour.id, checkId)) != null) {
                checkSets.revertAtPractice(demo, harbour.id, checkId);
            }
        }
    }

    private static boolean sameJson(String a, String b) {
        return json(a).equals(json(b));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text == null ? "{}" : text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the demo's check settings are not JSON: " + text, e);
        }
    }

    private static List<CheckDefinition> layerChecks(PracticeGroup group, DemoTools.Layer layer) {
        return switch (layer) {
            case NAS_READ_BACK -> List.of();
            case ARCHIVE -> List.of(archive(group.id, group.providerId));
            case CLOUD_COPY -> List.of(
                    check(group, "cloud-copy", "RESTIC_REPOSITORY", 300,
                            "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"readDataPercent\": 10, \"minSnapshots\": 1}"),
                    // a real restore of the newest snapshot, every file read back; hourly here, weekly is enough for the rule
                    check(group, "restore-test", "RESTORE_TEST", 3600, "{\"sourceCheckId\": \"cloud-copy\"}"));
            case UPS -> List.of(check(group, "ups", "UPS", 60, "{}"));
            case DB_SYNC -> List.of(check(group, "db-sync", "DATABASE_SYNC", 60, "{}"));
        };
    }

    /** Monthly restore points on the archive server, which must reach back 3 years (the archive rule). */
    private static CheckDefinition archive(UUID groupId, UUID providerId) {
        CheckDefinition check = folderCheck(groupId, providerId, "archive-retention", false);
        check.intervalSeconds = 300;
        return check;
    }

    private static CheckDefinition check(PracticeGroup group, String checkId, String kind, long intervalSeconds, String settings) {
        CheckDefinition check = new CheckDefinition();
        check.providerId = group.providerId;
        check.groupId = group.id;
        check.checkId = checkId;
        check.kind = kind;
        check.intervalSeconds = intervalSeconds;
        check.settings = settings;
        return check;
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

    /** A folder of backups; {@code readBack}: every byte read back against the folder's SHA256SUMS. */
    private static CheckDefinition folderCheck(UUID groupId, UUID providerId, String checkId, boolean readBack) {
        CheckDefinition check = new CheckDefinition();
        check.providerId = providerId;
        check.groupId = groupId;
        check.checkId = checkId;
        check.kind = "BACKUP_FOLDER";
        check.intervalSeconds = 60;
        check.settings = "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"minSizeBytes\": \"1024\""
                + (readBack ? ", \"readBack\": true}" : "}");
        return check;
    }
}
