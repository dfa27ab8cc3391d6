package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;

/** A rule no configured check can ever serve is a configuration gap, not "no data yet"; rules served by people never are. */
class ConfigurationGapTest {

    private static Map<String, RuleVerdict> evaluate(PracticeEvidence evidence) {
        return PolicyEvaluation.evaluate(ReferencePolicy.rules(), evidence, NOW).verdicts().stream()
                .collect(Collectors.toMap(RuleVerdict::ruleId, Function.identity()));
    }

    @Test
    void aRuleNoConfiguredCheckServesIsAConfigurationGapNamedAsSuch() {
        PracticeEvidence evidence = onboarded(hoursAgo(1)).withConfiguredChecks(Set.of("nas-copy", "usb-copy", "cloud-copy"));

        Map<String, RuleVerdict> verdicts = evaluate(evidence);

        assertThat(verdicts.get("restore-test").status()).isEqualTo(PracticeStatus.UNKNOWN);
        assertThat(verdicts.get("restore-test").configurationGap()).isTrue();
        assertThat(verdicts.get("restore-test").reason()).isEqualTo("configuration gap: no check provides evidence for restore-test");
        assertThat(verdicts.get("ups").reason()).isEqualTo("configuration gap: no check provides evidence for ups");
        // configured but silent so far: no data yet, as before
        assertThat(verdicts.get("nas-copy").configurationGap()).isFalse();
        assertThat(verdicts.get("nas-copy").reason()).isEqualTo("no data yet");
        // the USB copies alone serve usb-rotation: not a gap
        assertThat(verdicts.get("usb-rotation").configurationGap()).isFalse();
    }

    @Test
    void rulesPeopleAndTheAgentsCallsServeAreNeverAGap() {
        Map<String, RuleVerdict> verdicts = evaluate(onboarded(hoursAgo(1)).withConfiguredChecks(Set.of()));

        for (String rule : Set.of("plan-review", "contacts", "agent-heartbeat")) {
            assertThat(verdicts.get(rule).configurationGap()).as(rule).isFalse();
            assertThat(verdicts.get(rule).reason()).as(rule).doesNotContain("configuration gap");
        }
        assertThat(verdicts.values().stream().filter(RuleVerdict::configurationGap).map(RuleVerdict::ruleId))
                .containsExactlyInAnyOrderElementsOf(CheckCoverage.RULES_SERVED_BY_CHECKS);
    }

    @Test
    void aGapStaysAGapLongAfterTheNoDataGraceAndNeverFailsByItself() {
        PracticeEvidence evidence = onboarded(NOW.minus(Duration.ofDays(30))).withConfiguredChecks(Set.of("nas-copy"));

        RuleVerdict verdict = evaluate(evidence).get("ups");

        assertThat(verdict.status()).isEqualTo(PracticeStatus.UNKNOWN);
        assertThat(verdict.configurationGap()).isTrue();
        assertThat(verdict.reason()).isEqualTo("configuration gap: no check provides evidence for ups");
    }

    @Test
    void withoutKnowingTheConfiguredChecksNothingIsAGap() {
        RuleVerdict verdict = evaluate(onboarded(hoursAgo(1))).get("restore-test");

        assertThat(verdict.configurationGap()).isFalse();
        assertThat(verdict.reason()).isEqualTo("no data yet");
    }

    @Test
    void aRuleWhoseCheckWasRemovedIsAGapWhateverItsOldEvidenceSays() {
        // the last result ages; judging it would pass, then fail as stale, for a check nobody runs any more
        PracticeEvidence evidence = onboarded(hoursAgo(48)).withCheck(Fixtures.folder("nas-copy", hoursAgo(2)))
                .withConfiguredChecks(Set.of());

        RuleVerdict verdict = evaluate(evidence).get("nas-copy");

        assertThat(verdict.status()).isEqualTo(PracticeStatus.UNKNOWN);
        assertThat(verdict.configurationGap()).isTrue();
    }

    @Test
    void anExceptionToAGapPassesItAsAnyOther() {
        PracticeEvidence evidence = onboarded(hoursAgo(1)).withConfiguredChecks(Set.of())
                .withException(Fixtures.exception("ups", NOW.plus(Duration.ofDays(30))));

        RuleVerdict verdict = evaluate(evidence).get("ups");

        assertThat(verdict.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(verdict.configurationGap()).isFalse();
    }
}
