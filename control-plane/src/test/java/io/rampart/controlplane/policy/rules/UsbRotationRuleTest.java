package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.folder;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static io.rampart.controlplane.policy.rules.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.MediaSeen;
import io.rampart.protocol.agent.v1.UsbRotationObservation;

/** usb-rotation: copy within 26 h, >= 2 drives, the attached drive changes every 7 days (grace 2 h). */
class UsbRotationRuleTest {

    private final UsbRotationRule rule = new UsbRotationRule();

    private static CheckEvidence rotation(Instant attachedSince, String... drives) {
        UsbRotationObservation.Builder usb = UsbRotationObservation.newBuilder().setAttachedMediaId(drives[0]).setAttachedLabel("USB-3f2a")
                .setAttachedSince(ts(attachedSince));
        for (String drive : drives) {
            usb.addMedia(MediaSeen.newBuilder().setMediaId(drive));
        }
        return evidence(result("usb-rotation", CheckKind.CHECK_KIND_USB_ROTATION, CheckStatus.CHECK_STATUS_PASS).setUsbRotation(usb));
    }

    private RuleVerdict evaluate(PracticeEvidence practice, CheckEvidence rotation) {
        return rule.evaluate(practice.withCheck(rotation).withCheck(folder("usb-copy", hoursAgo(4))), NOW);
    }

    @Test
    void theSameDriveAttachedExactly7DaysPasses() {
        RuleVerdict verdict = evaluate(practice(), rotation(daysAgo(7), "a", "b"));

        assertThat(verdict).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.PASS,
                "USB drive USB-3f2a attached since 19 Nov (limit 7 days); last copy to the USB drive 4 h ago (limit 26 h)"));
    }

    @Test
    void theSameDriveAttachedJustOver7DaysIsAtRisk() {
        RuleVerdict verdict = evaluate(practice(), rotation(ago(Duration.ofDays(7).plusHours(1)), "a", "b"));

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void theSameDriveAttached8DaysFails() {
        RuleVerdict verdict = evaluate(practice(), rotation(daysAgo(8), "a", "b"));

        assertThat(verdict).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.FAIL,
                "USB drive USB-3f2a attached since 18 Nov: not rotated for 8 days (limit 7 days)"));
    }

    @Test
    void aDriveAttached12DaysSinceTheThirdReadsLikeAManagerWouldSayIt() {
        assertThat(evaluate(practice(), rotation(Instant.parse("2026-11-14T09:00:00Z"), "a", "b")).reason())
                .isEqualTo("USB drive USB-3f2a attached since 14 Nov: not rotated for 12 days (limit 7 days)");
    }

    @Test
    void onlyOneDriveEverSeenFails() {
        RuleVerdict verdict = evaluate(practice(), rotation(daysAgo(1), "a"));

        assertThat(verdict).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.FAIL,
                "only 1 USB drive ever seen (at least 2 needed in rotation)"));
    }

    @Test
    void onlyOneDriveSeenInTheFirstWeekAfterOnboardingIsAtRisk() {
        assertThat(evaluate(onboarded(daysAgo(3)), rotation(daysAgo(1), "a")).status()).isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void noDriveAttachedFails() {
        CheckEvidence none = evidence(result("usb-rotation", CheckKind.CHECK_KIND_USB_ROTATION, CheckStatus.CHECK_STATUS_FAIL)
                .setUsbRotation(UsbRotationObservation.newBuilder().addMedia(MediaSeen.newBuilder().setMediaId("a"))
                        .addMedia(MediaSeen.newBuilder().setMediaId("b"))));

        assertThat(evaluate(practice(), none)).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.FAIL, "no USB drive attached"));
    }

    @Test
    void aStaleCopyOnTheDriveFailsEvenWhenRotated() {
        PracticeEvidence evidence = practice().withCheck(rotation(daysAgo(1), "a", "b")).withCheck(folder("usb-copy", hoursAgo(40)));

        assertThat(rule.evaluate(evidence, NOW)).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.FAIL,
                "last copy to the USB drive 40 h ago (limit 26 h)"));
    }

    @Test
    void rotationWithoutAnyCopyEvidenceIsUnknownAfterOnboarding() {
        RuleVerdict verdict = rule.evaluate(onboarded(hoursAgo(2)).withCheck(rotation(hoursAgo(1), "a", "b")), NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict("usb-rotation", PracticeStatus.UNKNOWN, "no data yet on the copy to the USB drive"));
    }

    @Test
    void rotationWithoutAnyCopyEvidenceFailsLater() {
        RuleVerdict verdict = rule.evaluate(practice().withCheck(rotation(hoursAgo(1), "a", "b")), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo("no data yet on the copy to the USB drive (400 days since onboarding)");
    }
}
