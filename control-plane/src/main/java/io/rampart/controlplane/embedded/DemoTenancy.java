package io.rampart.controlplane.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.people.Providers;
import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.PracticeCheck;
import io.rampart.controlplane.policy.checks.CheckInput;
import io.rampart.controlplane.policy.checks.CheckInputs;
import io.rampart.controlplane.policy.checks.CheckInputs.ValidCheck;
import io.rampart.controlplane.policy.checks.CheckSets;
import io.rampart.controlplane.policy.checks.PracticeCheckSets;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.tenancy.GroupLifecycle;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeLifecycle;
import io.rampart.controlplane.tenancy.Provider;

/**
 * The demo's providers, groups and practices, with the ids the demo realm's users carry
 * (deploy/keycloak: rampart-realm.json). Two providers and two groups, so that signing in as
 * different people shows tenant isolation at work; and each group's check set.
 *
 * <p>Everything is made through the services the REST API calls, as a platform operator and each provider's admin would
 * (validated and audited as made by "Rampart demo"); only the ids are the demo's choice. Safe on every start: what is
 * missing is added, and a check whose settings an earlier demo had differently is changed back.
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

    private record DemoProvider(UUID id, String name) {
    }

    private record DemoGroup(UUID id, UUID providerId, String name, String timeZone) {
    }

    private record DemoPractice(UUID id, UUID groupId, String name) {
    }

    private static final List<DemoProvider> PROVIDERS = List.of(new DemoProvider(NORTHWIND, "Northwind IT Services"),
            new DemoProvider(SOUTHERN, "Southern IT Partners"));
    private static final List<DemoGroup> GROUPS = List.of(new DemoGroup(COASTAL, NORTHWIND, "Coastal Medical Group", "Europe/London"),
            new DemoGroup(INLAND, NORTHWIND, "Inland Health Group", "Europe/London"),
            new DemoGroup(SOUTHERN_GROUP, SOUTHERN, "Bayside Clinics", "Australia/Melbourne"));
    private static final List<DemoPractice> PRACTICES = List.of(new DemoPractice(HARBOUR_STREET, COASTAL, "Harbour Street Surgery"),
            new DemoPractice(RIVERSIDE, COASTAL, "Riverside Family Practice"),
            new DemoPractice(HILLTOP, COASTAL, "Hilltop Medical Centre"),
            new DemoPractice(MOORLAND, INLAND, "Moorland Health Centre"),
            new DemoPractice(BAYSIDE, SOUTHERN_GROUP, "Bayside Family Clinic"));

    @Inject
    Providers providers;
    @Inject
    GroupLifecycle groups;
    @Inject
    PracticeLifecycle practices;
    @Inject
    CheckSets checkSets;
    @Inject
    PracticeCheckSets practiceChecks;
    @Inject
    DemoPeople people;

    /** The tenancy, each group's basic check set and the demo's contacts (as tests use them); safe to call at any time. */
    public void seed() {
        seed(Set.of());
        people.seedContacts();
    }

    /**
     * Creates what is missing; safe to call on every start. Harbour Street's own checks are the layers this machine can
     * run ({@code layers}); a layer whose tool has gone since is taken out again.
     */
    public void seed(Set<DemoTools.Layer> layers) {
        QuarkusTransaction.requiringNew().run(() -> {
            boolean fresh = Provider.findById(NORTHWIND) == null;
            Caller operator = DemoPeople.operator();
            for (DemoProvider provider : PROVIDERS) {
                if (Provider.findById(provider.id()) == null) {
                    providers.create(operator, provider.id(), provider.name());
                }
            }
            for (DemoGroup group : GROUPS) {
                if (PracticeGroup.findById(group.id()) == null) {
                    groups.create(DemoPeople.demo(group.providerId()), group.id(), group.name(), group.timeZone());
                }
            }
            for (DemoPractice practice : PRACTICES) {
                PracticeGroup group = PracticeGroup.findById(practice.groupId());
                if (Practice.findById(practice.id()) == null && !group.archived()) {
                    practices.create(DemoPeople.demo(group.providerId), group.id, practice.id(), practice.name());
                }
            }
            for (DemoGroup group : GROUPS) {
                basicChecks(PracticeGroup.findById(group.id()));
            }
            harbourStreetLayers(layers);
            if (fresh) {
                LOG.info("Seeded the demo providers, groups and practices through the tenancy and check-set services");
            }
        });
    }

    /**
     * Every group runs the checks that need no tool (NAS and USB copies, USB rotation, the reported system image). An
     * earlier demo put the tool layers on the whole group; they are Harbour Street's own now, so the group's are removed.
     */
    private void basicChecks(PracticeGroup group) {
        if (group.archived()) {
            return;
        }
        Caller demo = DemoPeople.demo(group.providerId);
        setAtGroup(demo, group.id, List.of(folderCheck("nas-copy", false), folderCheck("usb-copy", false), reportedJob("system-image"),
                usbRotation()));
        List<String> layerIds = new ArrayList<>();
        for (DemoTools.Layer layer : DemoTools.Layer.values()) {
            layerChecks(layer).forEach(check -> layerIds.add(check.checkId()));
        }
        // restore tests first: the group refuses to remove a source while a restore test of its set restores it
        layerIds.sort(Comparator.comparing((String id) -> !id.startsWith("restore-test")));
        for (String checkId : layerIds) {
            if (CheckDefinition.findById(new CheckDefinition.Key(group.id, checkId)) != null) {
                checkSets.remove(demo, group.id, checkId);
            }
        }
    }

    private void setAtGroup(Caller demo, UUID groupId, List<CheckInput> wanted) {
        Map<String, String> kinds = kinds(wanted);
        for (CheckInput input : wanted) {
            ValidCheck valid = CheckInputs.validate(input, null, kinds);
            CheckDefinition stored = CheckDefinition.findById(new CheckDefinition.Key(groupId, input.checkId()));
            if (stored == null) {
                checkSets.add(demo, groupId, input);
            } else if (!stored.kind.equals(valid.kind()) || stored.intervalSeconds != valid.intervalSeconds()
                    || !sameJson(stored.settings, valid.settings())) {
                checkSets.change(demo, groupId, input.checkId(), input);
            }
        }
    }

    /**
     * Harbour Street, the demo practice that runs every layer for real, gets the layers of {@code layers} (read-back,
     * archive, and those of the tools this machine has) as checks of its own, set as a provider admin would ("run its own
     * way" on the practice page); its group's other practices do not run them, so they show those rules as configuration
     * gaps and fail only for their own story.
     */
    private void harbourStreetLayers(Set<DemoTools.Layer> layers) {
        Practice harbour = Practice.findById(HARBOUR_STREET);
        PracticeGroup group = harbour == null ? null : PracticeGroup.findById(harbour.groupId);
        if (group == null || harbour.decommissioned() || group.archived()) {
            return;
        }
        Caller demo = DemoPeople.demo(harbour.providerId);
        List<CheckInput> wanted = new ArrayList<>();
        if (layers.contains(DemoTools.Layer.NAS_READ_BACK)) {
            wanted.add(folderCheck("nas-copy", true));
        }
        List<String> leftOut = new ArrayList<>();
        for (DemoTools.Layer layer : DemoTools.Layer.values()) {
            if (layers.contains(layer)) {
                wanted.addAll(layerChecks(layer));
            } else {
                layerChecks(layer).forEach(check -> leftOut.add(check.checkId()));
            }
        }
        // a source before the restore test that restores it
        wanted.sort(Comparator.comparing((CheckInput c) -> c.kind().equals("RESTORE_TEST")));
        Map<String, String> kinds = kinds(wanted);
        for (CheckInput input : wanted) {
            ValidCheck valid = CheckInputs.validate(input, null, kinds);
            PracticeCheck stored = PracticeCheck.findById(new PracticeCheck.Key(harbour.id, input.checkId()));
            if (stored == null || stored.removed || !valid.kind().equals(stored.kind) || !sameJson(stored.settings, valid.settings())
                    || stored.intervalSeconds == null || stored.intervalSeconds != valid.intervalSeconds()) {
                practiceChecks.setAtPractice(demo, harbour.id, input.checkId(), input);
            }
        }
        // restore tests first, so no source is reverted from under its restore test
        leftOut.sort(Comparator.comparing((String id) -> !id.startsWith("restore-test")));
        for (String checkId : leftOut) {
            if (PracticeCheck.findById(new PracticeCheck.Key(harbour.id, checkId)) != null) {
                practiceChecks.revertAtPractice(demo, harbour.id, checkId);
            }
        }
    }

    private static Map<String, String> kinds(List<CheckInput> checks) {
        Map<String, String> kinds = new LinkedHashMap<>();
        checks.forEach(check -> kinds.put(check.checkId(), check.kind()));
        return kinds;
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

    private static List<CheckInput> layerChecks(DemoTools.Layer layer) {
        return switch (layer) {
            case NAS_READ_BACK -> List.of();
            case ARCHIVE -> List.of(archive());
            case CLOUD_COPY -> List.of(
                    check("cloud-copy", "RESTIC_REPOSITORY", 300,
                            "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"readDataPercent\": 10, \"minSnapshots\": 1}"),
                    // a real restore of the newest snapshot, every file read back; hourly here, weekly is enough for the rule
                    check("restore-test", "RESTORE_TEST", 3600, "{\"sourceCheckId\": \"cloud-copy\"}"));
            case UPS -> List.of(check("ups", "UPS", 60, "{}"));
            case DB_SYNC -> List.of(check("db-sync", "DATABASE_SYNC", 60, "{}"));
        };
    }

    /** Monthly restore points on the archive server, which must reach back 3 years (the archive rule). */
    private static CheckInput archive() {
        return check("archive-retention", "BACKUP_FOLDER", 300, folderSettings(false));
    }

    /** Which of the rotated USB drives is attached, and since when (the same drive as usb-copy's). */
    private static CheckInput usbRotation() {
        return check("usb-rotation", "USB_ROTATION", 60, "{\"maxAttached\": \"" + Duration.ofDays(7).toSeconds() + "s\", \"minDrives\": 2}");
    }

    /** The nightly bare-metal image, which the imaging software reports with `rampart-agent report`. */
    private static CheckInput reportedJob(String checkId) {
        return check(checkId, "REPORTED_JOB", 60, "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\"}");
    }

    /** A folder of backups; {@code readBack}: every byte read back against the folder's SHA256SUMS. */
    private static CheckInput folderCheck(String checkId, boolean readBack) {
        return check(checkId, "BACKUP_FOLDER", 60, folderSettings(readBack));
    }

    private static String folderSettings(boolean readBack) {
        return "{\"maxAge\": \"" + Duration.ofHours(26).toSeconds() + "s\", \"minSizeBytes\": \"1024\"" + (readBack ? ", \"readBack\": true}" : "}");
    }

    private static CheckInput check(String checkId, String kind, long intervalSeconds, String settings) {
        return new CheckInput(checkId, kind, intervalSeconds, json(settings));
    }
}
