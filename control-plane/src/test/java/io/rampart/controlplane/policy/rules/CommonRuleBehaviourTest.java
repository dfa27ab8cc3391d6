package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.exception;
import static io.rampart.controlplane.policy.rules.Fixtures.folder;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;
import io.rampart.protocol.agent.v1.RestoreTestObservation;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsStatus;
import io.rampart.protocol.agent.v1.UsbRotationObservation;

/** What every rule of the reference policy does with no data and with exceptions. */
class CommonRuleBehaviourTest {

    /** Per rule: evidence that makes it FAIL on a practice onboarded long ago. */
    private static final Map<String, UnaryOperator<PracticeEvidence>> FAILING = Map.ofEntries(
            Map.entry("db-sync", e -> e.withCheck(Fixtures.evidence(Fixtures.result("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC,
                    CheckStatus.CHECK_STATUS_FAIL).setDatabaseSync(DatabaseSyncObservation.newBuilder().setSecondaryReachable(false))))),
            Map.entry("cloud-copy", e -> e.withCheck(folder("cloud-copy", daysAgo(3)))),
            Map.entry("nas-copy", e -> e.withCheck(folder("nas-copy", daysAgo(3)))),
            Map.entry("usb-rotation", e -> e.withCheck(Fixtures.evidence(Fixtures.result("usb-rotation", CheckKind.CHECK_KIND_USB_ROTATION,
                    CheckStatus.CHECK_STATUS_PASS).setUsbRotation(UsbRotationObservation.getDefaultInstance())))
                    .withCheck(folder("usb-copy", daysAgo(3)))),
            Map.entry("system-image", e -> e.withCheck(folder("system-image", daysAgo(3)))),
            Map.entry("archive-retention", e -> e.withCheck(folder("archive-retention", daysAgo(3)))),
            Map.entry("restore-test", e -> e.withCheck(Fixtures.evidence(Fixtures.result("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST,
                    CheckStatus.CHECK_STATUS_FAIL).setRestoreTest(RestoreTestObservation.getDefaultInstance())))),
            Map.entry("ups", e -> e.withCheck(Fixtures.evidence(Fixtures.result("ups", CheckKind.CHECK_KIND_UPS, CheckStatus.CHECK_STATUS_FAIL)
                    .setUps(UpsObservation.newBuilder().setStatus(UpsStatus.UPS_STATUS_UNREACHABLE))))),
            Map.entry("plan-review", e -> e.withPlanReview(new PlanReview("Dr Who", daysAgo(500)))),
            Map.entry("contacts", e -> e.withContacts(new Contacts(0, 0))),
            Map.entry("agent-heartbeat", e -> e.withHeartbeat(daysAgo(2))));

    static Stream<Rule> rules() {
        return ReferencePolicy.rules().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void everyRuleHasFailingEvidenceInThisTest(Rule rule) {
        assertThat(FAILING).containsKey(rule.id());
        assertThat(rule.evaluate(FAILING.get(rule.id()).apply(practice()), NOW).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void noDataRightAfterOnboardingIsUnknown(Rule rule) {
        RuleVerdict verdict = rule.evaluate(onboarded(NOW.minus(Duration.ofMinutes(5))), NOW);

        // a person, not an agent, gives the plan review's evidence: its verdict says what to do
        String reason = rule.id().equals(PlanReviewRule.ID) ? PlanReviewRule.NO_REVIEW : "no data yet";
        assertThat(verdict).isEqualTo(new RuleVerdict(rule.id(), PracticeStatus.UNKNOWN, reason));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void noDataLongAfterOnboardingFails(Rule rule) {
        RuleVerdict verdict = rule.evaluate(onboarded(daysAgo(40)), NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).isEqualTo(rule.id().equals(PlanReviewRule.ID) ? PlanReviewRule.NO_REVIEW + " (40 days since onboarding)"
                : "no evidence for 40 days since onboarding");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void anActiveExceptionTurnsAFailureIntoAPassWithItsReason(Rule rule) {
        PracticeEvidence evidence = FAILING.get(rule.id()).apply(practice())
                .withException(exception(rule.id(), Instant("2026-12-31T00:00:00Z")));

        RuleVerdict verdict = rule.evaluate(evidence, NOW);

        assertThat(verdict).isEqualTo(new RuleVerdict(rule.id(), PracticeStatus.PASS,
                "exception until 31 Dec 2026 by Dana Provider: UPS being replaced"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void anActiveExceptionAlsoCoversMissingEvidence(Rule rule) {
        PracticeEvidence evidence = practice().withException(exception(rule.id(), NOW.plus(Duration.ofDays(1))));

        assertThat(rule.evaluate(evidence, NOW).status()).isEqualTo(PracticeStatus.PASS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void anExpiredExceptionHasNoEffect(Rule rule) {
        PracticeEvidence evidence = FAILING.get(rule.id()).apply(practice())
                .withException(exception(rule.id(), NOW.minus(Duration.ofSeconds(1))));

        assertThat(rule.evaluate(evidence, NOW).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void anExceptionToAnotherRuleHasNoEffect(Rule rule) {
        PracticeEvidence evidence = FAILING.get(rule.id()).apply(practice())
                .withException(exception("some-other-rule", NOW.plus(Duration.ofDays(30))));

        assertThat(rule.evaluate(evidence, NOW).status()).isEqualTo(PracticeStatus.FAIL);
    }

    private static java.time.Instant Instant(String text) {
        return java.time.Instant.parse(text);
    }
}
