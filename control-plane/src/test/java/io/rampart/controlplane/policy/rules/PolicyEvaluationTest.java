package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.folder;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;

class PolicyEvaluationTest {

    @Test
    void theReferencePolicyHasTheElevenRulesInTheTablesOrder() {
        assertThat(ReferencePolicy.rules()).extracting(Rule::id).containsExactly("db-sync", "cloud-copy", "nas-copy", "usb-rotation",
                "system-image", "archive-retention", "restore-test", "ups", "plan-review", "contacts", "agent-heartbeat");
    }

    @Test
    void aNewPracticeWithoutDataIsUnknown() {
        PolicyEvaluation evaluation = PolicyEvaluation.evaluate(ReferencePolicy.rules(), onboarded(ago(Duration.ofMinutes(1))), NOW);

        assertThat(evaluation.status()).isEqualTo(PracticeStatus.UNKNOWN);
        assertThat(evaluation.verdicts()).hasSize(11).allSatisfy(v -> assertThat(v.reason())
                .isEqualTo(v.ruleId().equals(PlanReviewRule.ID) ? PlanReviewRule.NO_REVIEW : "no data yet"));
    }

    @Test
    void allPassingIsPass() {
        PracticeEvidence evidence = practice().withCheck(folder("cloud-copy", hoursAgo(2))).withHeartbeat(ago(Duration.ofMinutes(1)));

        PolicyEvaluation evaluation = PolicyEvaluation.evaluate(List.of(new CloudCopyRule(), new AgentHeartbeatRule()), evidence, NOW);

        assertThat(evaluation.status()).isEqualTo(PracticeStatus.PASS);
        assertThat(evaluation.problems()).isEmpty();
    }

    @Test
    void theOverallStatusIsTheWorstVerdict() {
        PracticeEvidence evidence = practice().withCheck(folder("cloud-copy", hoursAgo(27))).withCheck(folder("nas-copy", daysAgo(3)))
                .withHeartbeat(ago(Duration.ofMinutes(1)));

        PolicyEvaluation evaluation = PolicyEvaluation.evaluate(List.of(new CloudCopyRule(), new NasCopyRule(), new AgentHeartbeatRule()), evidence, NOW);

        assertThat(evaluation.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(evaluation.problems()).extracting(RuleVerdict::ruleId).containsExactly("nas-copy", "cloud-copy");
    }

    @Test
    void atRiskIsWorseThanPassButBetterThanUnknown() {
        PracticeEvidence evidence = onboarded(hoursAgo(1)).withCheck(folder("cloud-copy", hoursAgo(27)));

        assertThat(PolicyEvaluation.evaluate(List.of(new CloudCopyRule()), evidence, NOW).status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(PolicyEvaluation.evaluate(List.of(new CloudCopyRule(), new NasCopyRule()), evidence, NOW).status()).isEqualTo(PracticeStatus.UNKNOWN);
    }

    @Test
    void theDefaultGraceIsATenthOfTheLimitAtMost2Hours() {
        assertThat(Thresholds.defaultGrace(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(90));
        assertThat(Thresholds.defaultGrace(Duration.ofHours(26))).isEqualTo(Duration.ofHours(2));
        assertThat(Thresholds.defaultGrace(Duration.ofDays(90))).isEqualTo(Duration.ofHours(2));
    }
}
