package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.MediaSeen;
import io.rampart.protocol.agent.v1.UsbRotationObservation;

/**
 * usb-rotation: a daily copy on the attached USB drive within 26 h (checks "usb-copy..."), at least
 * 2 drives in rotation and the attached drive changed at least every 7 days (check "usb-rotation").
 * Until one rotation period (plus grace) after onboarding, seeing a single drive is only AT_RISK.
 */
public final class UsbRotationRule extends AbstractRule {

    public static final String ID = "usb-rotation";

    private final Thresholds.UsbRotation thresholds;
    private final List<String> rotationCheckIds;
    private final List<String> copyCheckIds;

    public UsbRotationRule() {
        this(Thresholds.UsbRotation.DEFAULT);
    }

    public UsbRotationRule(Thresholds.UsbRotation thresholds) {
        this(thresholds, List.of(ID), List.of("usb-copy"));
    }

    public UsbRotationRule(Thresholds.UsbRotation thresholds, List<String> rotationCheckIds, List<String> copyCheckIds) {
        super(ID);
        this.thresholds = thresholds;
        this.rotationCheckIds = List.copyOf(rotationCheckIds);
        this.copyCheckIds = List.copyOf(copyCheckIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        List<CheckEvidence> rotations = evidence.checks(rotationCheckIds).stream().filter(c -> c.result().hasUsbRotation()).toList();
        List<CheckEvidence> copies = evidence.checks(copyCheckIds);
        if (rotations.isEmpty() && copies.isEmpty()) {
            return RuleVerdict.noData(ID);
        }
        List<RuleVerdict> parts = new ArrayList<>();
        if (rotations.isEmpty()) {
            parts.add(RuleVerdict.unknown(ID, "no data yet on which USB drive is attached"));
        }
        for (CheckEvidence rotation : rotations) {
            parts.addAll(rotation(rotation, evidence, now));
        }
        if (copies.isEmpty()) {
            parts.add(RuleVerdict.unknown(ID, "no data yet on the copy to the USB drive"));
        }
        for (CheckEvidence copy : copies) {
            parts.add(Verdicts.freshness(ID, "copy to the USB drive", copy, thresholds.maxCopyAge(), thresholds.copyGrace(), now));
        }
        return Verdicts.combine(ID, parts);
    }

    private List<RuleVerdict> rotation(CheckEvidence check, PracticeEvidence evidence, Instant now) {
        if (check.failedToRun()) {
            return List.of(RuleVerdict.fail(ID, "the USB rotation check could not run: " + check.result().getSummary()));
        }
        UsbRotationObservation usb = check.result().getUsbRotation();
        List<RuleVerdict> parts = new ArrayList<>();
        Set<String> drives = new LinkedHashSet<>();
        usb.getMediaList().stream().map(MediaSeen::getMediaId).filter(id -> !id.isEmpty()).forEach(drives::add);
        if (!usb.getAttachedMediaId().isEmpty()) {
            drives.add(usb.getAttachedMediaId());
        }
        if (drives.size() < thresholds.minDrives()) {
            boolean young = Duration.between(evidence.onboardedAt(), now).compareTo(thresholds.rotateEvery().plus(thresholds.rotateGrace())) <= 0;
            parts.add(new RuleVerdict(ID, young ? PracticeStatus.AT_RISK : PracticeStatus.FAIL,
                    "only " + drives.size() + " USB drive" + (drives.size() == 1 ? "" : "s") + " ever seen (at least "
                            + thresholds.minDrives() + " needed in rotation)"));
        }
        if (usb.getAttachedMediaId().isEmpty()) {
            parts.add(RuleVerdict.fail(ID, "no USB drive attached"));
        } else if (usb.hasAttachedSince()) {
            String label = usb.getAttachedLabel().isEmpty() ? usb.getAttachedMediaId() : usb.getAttachedLabel();
            Instant since = Texts.instant(usb.getAttachedSince());
            Duration attached = Duration.between(since, now);
            PracticeStatus status = Verdicts.grade(attached, thresholds.rotateEvery(), thresholds.rotateGrace());
            parts.add(new RuleVerdict(ID, status, "USB drive " + label + " attached since " + Texts.shortDate(since, now)
                    + (status == PracticeStatus.PASS ? "" : ": not rotated for " + Texts.span(attached))
                    + " (limit " + Texts.span(thresholds.rotateEvery()) + ")"));
        }
        return parts;
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
