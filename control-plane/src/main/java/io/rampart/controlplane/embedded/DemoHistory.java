package io.rampart.controlplane.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.rampart.controlplane.compliance.ComplianceEvaluation;
import io.rampart.controlplane.compliance.ComplianceHistoryEntry;
import io.rampart.controlplane.policy.rules.ReferencePolicy;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.controlplane.tenancy.Practice;

/**
 * The month before the demo's first start, written into the compliance history through the
 * evaluation's own history writer (ComplianceEvaluation.recordPastChange), so the Coastal group's
 * monthly report has a shape on first look. The story: Harbour Street passed every rule all month
 * but for one night, when its NAS copy was missed (the share was left unmounted after power work)
 * and was back the next morning; Riverside's USB drive stopped being swapped and then its image job
 * failed; Hilltop's plan review ran out before the month began, its imaging software went quiet and
 * last night's NAS copy was empty. The tool layers are Harbour Street's own checks, so the two other
 * practices show those rules as configuration gaps all month. Written once: a second start finds the month there.
 */
@ApplicationScoped
public class DemoHistory {

    private static final Logger LOG = Logger.getLogger(DemoHistory.class);
    static final int DAYS = 30;

    @Inject
    ComplianceEvaluation evaluation;
    @Inject
    Clock clock;

    /** One change of the story: a rule (null: the practice overall) becomes {@code status} at {@code at}. */
    record Change(UUID practiceId, String ruleId, PracticeStatus status, String reason, Instant at) {
    }

    /** Writes the month unless the group's history already reaches back that far. */
    public void seed(Set<DemoTools.Layer> layers) {
        Instant now = clock.instant();
        Instant start = now.minus(Duration.ofDays(DAYS));
        boolean written = QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.count(
                "groupId = ?1 and changedAt < ?2", DemoTenancy.COASTAL, now.minus(Duration.ofDays(DAYS - 5))) > 0);
        if (written) {
            return;
        }
        List<Change> story = story(layers, start);
        QuarkusTransaction.requiringNew().run(() -> {
            Map<String, PracticeStatus> previous = new LinkedHashMap<>();
            for (Change change : story) {
                String key = change.practiceId() + "/" + change.ruleId();
                evaluation.recordPastChange(Practice.findById(change.practiceId()), change.ruleId(), change.status(), previous.get(key),
                        change.reason(), change.at());
                previous.put(key, change.status());
            }
        });
        LOG.infof("Wrote %d days of compliance history for the Coastal Medical Group (%d changes)", DAYS, story.size());
    }

    /** Every change of the month in the order it happened, overall states included. */
    static List<Change> story(Set<DemoTools.Layer> layers, Instant start) {
        List<Change> changes = new ArrayList<>();
        Set<String> layerRules = layerRules(layers);
        for (UUID practice : List.of(DemoTenancy.HARBOUR_STREET, DemoTenancy.RIVERSIDE, DemoTenancy.HILLTOP)) {
            for (Rule rule : ReferencePolicy.rules()) {
                String id = rule.id();
                if (layerRules(java.util.EnumSet.allOf(DemoTools.Layer.class)).contains(id) && !layerRules.contains(id)) {
                    continue; // a layer this machine has no tool for: not part of the demo
                }
                // the layers are Harbour Street's own checks: its group's other practices have no check for those rules
                boolean layerOfHarbourOnly = layerRules.contains(id) && !practice.equals(DemoTenancy.HARBOUR_STREET);
                if (layerOfHarbourOnly) {
                    changes.add(new Change(practice, id, PracticeStatus.UNKNOWN, "configuration gap: no check provides evidence for " + id,
                            start));
                } else if (practice.equals(DemoTenancy.HILLTOP) && id.equals("plan-review")) {
                    changes.add(new Change(practice, id, PracticeStatus.FAIL, "last review 13 months ago (limit 12 months)", start));
                } else {
                    changes.add(new Change(practice, id, PracticeStatus.PASS, "passing", start));
                }
            }
        }
        Instant day = start;
        // Harbour Street: one missed NAS copy, put right the next morning
        changes.add(new Change(DemoTenancy.HARBOUR_STREET, "nas-copy", PracticeStatus.FAIL,
                "newest backup 31 hours old (limit 26 hours): the NAS share was not mounted after the power work", at(day, 13, 8)));
        changes.add(new Change(DemoTenancy.HARBOUR_STREET, "nas-copy", PracticeStatus.PASS, "newest backup 2 hours old", at(day, 14, 10)));
        // Riverside: the USB drive stays in; then the image job fails
        changes.add(new Change(DemoTenancy.RIVERSIDE, "usb-rotation", PracticeStatus.AT_RISK,
                "USB-A attached for 7 days (limit 7 days)", at(day, DAYS - 5, 9)));
        changes.add(new Change(DemoTenancy.RIVERSIDE, "usb-rotation", PracticeStatus.FAIL,
                "USB-A attached for 8 days (limit 7 days); newest copy 2 days old", at(day, DAYS - 4, 9)));
        changes.add(new Change(DemoTenancy.RIVERSIDE, "system-image", PracticeStatus.FAIL,
                "image job failed: Veeam Agent: image of SERVER01 failed: destination disk full", at(day, DAYS - 2, 3)));
        // Hilltop: the imaging software goes quiet, then an empty NAS copy
        changes.add(new Change(DemoTenancy.HILLTOP, "system-image", PracticeStatus.FAIL,
                "no report from the imaging software for 27 hours (limit 26 hours)", at(day, DAYS - 9, 5)));
        changes.add(new Change(DemoTenancy.HILLTOP, "nas-copy", PracticeStatus.FAIL, "newest backup is 0 bytes (at least 1.0 KiB expected)",
                at(day, DAYS - 1, 6)));
        changes.sort(Comparator.comparing(Change::at));
        return withOverall(changes);
    }

    /** The practice's overall state follows its rules: FAIL while any rule fails, AT_RISK while any is at risk. */
    private static List<Change> withOverall(List<Change> ruleChanges) {
        List<Change> all = new ArrayList<>();
        Map<UUID, Map<String, PracticeStatus>> standing = new LinkedHashMap<>();
        Map<UUID, PracticeStatus> overall = new LinkedHashMap<>();
        for (int i = 0; i < ruleChanges.size(); i++) {
            Change change = ruleChanges.get(i);
            all.add(change);
            standing.computeIfAbsent(change.practiceId(), id -> new LinkedHashMap<>()).put(change.ruleId(), change.status());
            boolean lastAtThisInstant = i + 1 == ruleChanges.size() || !ruleChanges.get(i + 1).at().equals(change.at())
                    || !ruleChanges.get(i + 1).practiceId().equals(change.practiceId());
            if (!lastAtThisInstant) {
                continue;
            }
            Map<String, PracticeStatus> rules = standing.get(change.practiceId());
            PracticeStatus worst = rules.values().stream().max(Comparator.comparingInt(DemoHistory::badness)).orElse(PracticeStatus.PASS);
            if (worst != overall.get(change.practiceId())) {
                String reason = worst == PracticeStatus.PASS ? "All " + rules.size() + " rules pass"
                        : rules.entrySet().stream().filter(e -> e.getValue() == worst).map(e -> e.getKey()).findFirst().orElseThrow()
                                + ": " + change.reason();
                all.add(new Change(change.practiceId(), null, worst, reason, change.at()));
                overall.put(change.practiceId(), worst);
            }
        }
        return all;
    }

    private static int badness(PracticeStatus status) {
        return switch (status) {
            case PASS -> 0;
            case AT_RISK -> 1;
            case UNKNOWN -> 2;
            case FAIL -> 3;
        };
    }

    private static Set<String> layerRules(Set<DemoTools.Layer> layers) {
        Set<String> rules = new java.util.HashSet<>();
        for (DemoTools.Layer layer : layers) {
            switch (layer) {
                case CLOUD_COPY -> rules.addAll(List.of("cloud-copy", "restore-test"));
                case UPS -> rules.add("ups");
                case ARCHIVE -> rules.add("archive-retention");
                case NAS_READ_BACK -> {
                    // the nas-copy rule is there without it
                }
                case DB_SYNC -> rules.add("db-sync");
            }
        }
        return rules;
    }

    /** {@code days} days after the start of the month, at {@code hour}:00. */
    private static Instant at(Instant start, int days, int hour) {
        return start.plus(Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(hour));
    }
}
