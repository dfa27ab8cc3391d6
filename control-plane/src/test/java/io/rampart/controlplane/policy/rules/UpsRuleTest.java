package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.pd;
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
import io.rampart.protocol.agent.v1.UpsCondition;
import io.rampart.protocol.agent.v1.UpsConditionKind;
import io.rampart.protocol.agent.v1.UpsConditionSeverity;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsSelfTest;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;
import io.rampart.protocol.agent.v1.UpsStatus;

/** ups: protected (no failing condition), self-test passed within 90 days (grace 2 h), runtime >= 10 min shutdown time. */
class UpsRuleTest {

    private final UpsRule rule = new UpsRule();

    /** What an agent that classifies reports for a healthy UPS. */
    private static UpsObservation.Builder ups(Duration runtime, Instant selfTestAt) {
        UpsSelfTest passed = UpsSelfTest.newBuilder().setOutcome(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED)
                .setResult("Done and passed").setAt(ts(selfTestAt)).setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_REPORTED_BY_UPS)
                .build();
        return UpsObservation.newBuilder().setUpsName("server-ups").setClassified(true).setStatus(UpsStatus.UPS_STATUS_ONLINE)
                .setRawStatus("OL").setChargePercent(100).setChargeReported(true).setRuntime(pd(runtime)).setRuntimeReported(true)
                .setLatestSelfTest(passed).setLastPassedSelfTest(passed)
                .setSelfTestControl(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NO_USER);
    }

    private static UpsCondition condition(UpsConditionKind kind, UpsConditionSeverity severity, String words) {
        return UpsCondition.newBuilder().setKind(kind).setSeverity(severity).setWords(words).build();
    }

    private RuleVerdict evaluate(UpsObservation.Builder ups) {
        return evaluate(ups, CheckStatus.CHECK_STATUS_PASS);
    }

    private RuleVerdict evaluate(UpsObservation.Builder ups, CheckStatus agentStatus) {
        return rule.evaluate(practice().withCheck(evidence(result("ups", CheckKind.CHECK_KIND_UPS, agentStatus).setUps(ups))), NOW);
    }

    @Test
    void anOnlineUpsWith10MinutesRuntimeAndASelfTest90DaysAgoPasses() {
        assertThat(evaluate(ups(Duration.ofMinutes(10), daysAgo(90))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.PASS, "UPS server-ups: online, charge 100%; "
                        + "UPS server-ups: runtime on battery 10 min (servers need 10 min to shut down); "
                        + "UPS server-ups: self-test passed 90 days ago (limit 90 days)"));
    }

    @Test
    void aSelfTestJustOver90DaysAgoIsAtRisk() {
        assertThat(evaluate(ups(Duration.ofMinutes(30), ago(Duration.ofDays(90).plusHours(1)))).status()).isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void aSelfTest91DaysAgoFailsAndSaysHowToGetOne() {
        assertThat(evaluate(ups(Duration.ofMinutes(30), daysAgo(91))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "UPS server-ups: self-test passed 91 days ago (limit 90 days); "
                        + "let Rampart run it: give it an upsd user with instcmds = test.battery.start.quick "
                        + "and a self-test window in checks.properties"));
    }

    @Test
    void failsOnEveryConditionTheAgentRatesFailInItsWords() {
        UpsObservation.Builder bypass = ups(Duration.ofMinutes(30), daysAgo(10)).setRawStatus("OL BYPASS ALARM")
                .addConditions(condition(UpsConditionKind.UPS_CONDITION_KIND_BYPASS, UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL,
                        "on bypass: mains power goes straight to the servers, no battery protection (BYPASS)"))
                .addConditions(condition(UpsConditionKind.UPS_CONDITION_KIND_ALARM, UpsConditionSeverity.UPS_CONDITION_SEVERITY_FAIL,
                        "alarm: Replace battery! No battery installed! (ALARM)"));

        assertThat(evaluate(bypass)).isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL,
                "UPS server-ups: on bypass: mains power goes straight to the servers, no battery protection (BYPASS); "
                        + "UPS server-ups: alarm: Replace battery! No battery installed! (ALARM)"));
    }

    @Test
    void aWarningConditionIsAtRiskAndANoticeIsShownWithOnline() {
        UpsObservation.Builder discharging = ups(Duration.ofMinutes(30), daysAgo(10)).addConditions(condition(
                UpsConditionKind.UPS_CONDITION_KIND_DISCHARGING_ON_LINE, UpsConditionSeverity.UPS_CONDITION_SEVERITY_WARN,
                "the battery discharges although mains power is present (OL DISCHRG)"));
        UpsObservation.Builder trimming = ups(Duration.ofMinutes(30), daysAgo(10)).addConditions(condition(
                UpsConditionKind.UPS_CONDITION_KIND_TRIMMING_VOLTAGE, UpsConditionSeverity.UPS_CONDITION_SEVERITY_NOTICE,
                "lowering a high mains voltage (TRIM)"));

        assertThat(evaluate(discharging)).isEqualTo(new RuleVerdict("ups", PracticeStatus.AT_RISK,
                "UPS server-ups: the battery discharges although mains power is present (OL DISCHRG)"));
        assertThat(evaluate(trimming).reason()).startsWith("UPS server-ups: online, lowering a high mains voltage (TRIM), charge 100%; ");
    }

    @Test
    void aRuntimeShorterThanTheShutdownTimeFails() {
        assertThat(evaluate(ups(Duration.ofMinutes(6), daysAgo(10))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "UPS server-ups: runtime on battery 6 min (servers need 10 min to shut down)"));
    }

    @Test
    void aUpsThatDoesNotReportItsRuntimeIsAtRiskAndNeverToldZero() {
        assertThat(evaluate(ups(Duration.ofMinutes(30), daysAgo(10)).clearRuntime().setRuntimeReported(false)))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.AT_RISK,
                        "UPS server-ups: the UPS does not report its runtime, so the 10 min the servers need to shut down cannot be checked"));
    }

    @Test
    void aFailedSelfTestFailsWithTheUpsWords() {
        UpsSelfTest failed = UpsSelfTest.newBuilder().setOutcome(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_FAILED).setResult("BT")
                .setAt(ts(daysAgo(2))).setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART).build();

        assertThat(evaluate(ups(Duration.ofMinutes(30), daysAgo(10)).setLatestSelfTest(failed)))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "UPS server-ups: self-test failed 48 h ago, in a test Rampart started: BT"));
    }

    @Test
    void aUsbUpsWithoutATestDatePassesOnATestRampartFirstSawOrRan() {
        UpsSelfTest firstSeen = UpsSelfTest.newBuilder().setOutcome(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED).setResult("Done and passed")
                .setAt(ts(daysAgo(12))).setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART).build();
        UpsSelfTest ran = firstSeen.toBuilder().setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART).build();

        assertThat(evaluate(ups(Duration.ofSeconds(2079), daysAgo(1)).setLatestSelfTest(firstSeen).setLastPassedSelfTest(firstSeen)).reason())
                .endsWith("UPS server-ups: self-test passed 12 days ago (limit 90 days), dated when Rampart first saw the result (the UPS reports no date)");
        assertThat(evaluate(ups(Duration.ofSeconds(2079), daysAgo(1)).setLatestSelfTest(ran).setLastPassedSelfTest(ran)).status())
                .isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void aUsbUpsWithNoTestYetFailsAndSaysWhatRampartCanDo() {
        UpsSelfTest none = UpsSelfTest.newBuilder().setOutcome(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE).setResult("No test initiated")
                .setAt(ts(daysAgo(1))).setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED).build();

        assertThat(evaluate(ups(Duration.ofSeconds(2079), daysAgo(1)).setLatestSelfTest(none).clearLastPassedSelfTest()
                .setSelfTestControl(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED)))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "UPS server-ups: no passed self-test on record (limit 90 days); "
                        + "Rampart starts one in its next self-test window"));
    }

    @Test
    void aPassedResultFoundBeforeRampartWatchedIsAtRiskUntilTheLimitThenFails() {
        UpsSelfTest found = UpsSelfTest.newBuilder().setOutcome(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_PASSED).setResult("Done and passed")
                .setAt(ts(daysAgo(5))).setTimeSource(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED).build();

        assertThat(evaluate(ups(Duration.ofMinutes(30), daysAgo(5)).setLatestSelfTest(found).setLastPassedSelfTest(found)).status())
                .isEqualTo(PracticeStatus.AT_RISK);
        UpsSelfTest longAgo = found.toBuilder().setAt(ts(daysAgo(100))).build();
        assertThat(evaluate(ups(Duration.ofMinutes(30), daysAgo(5)).setLatestSelfTest(longAgo).setLastPassedSelfTest(longAgo)).status())
                .isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void anUnreachableUpsFails() {
        assertThat(evaluate(UpsObservation.newBuilder().setUpsName("server-ups").setStatus(UpsStatus.UPS_STATUS_UNREACHABLE),
                CheckStatus.CHECK_STATUS_ERROR).status()).isEqualTo(PracticeStatus.FAIL);
    }

    // events of agents that did not classify (no conditions, no self-test records)

    private static UpsObservation.Builder unclassified(UpsStatus status, Duration runtime, Instant selfTestAt) {
        return UpsObservation.newBuilder().setUpsName("server-ups").setStatus(status).setChargePercent(76).setRuntime(pd(runtime))
                .setSelfTestResult("Done and passed").setSelfTestAt(ts(selfTestAt));
    }

    @Test
    void anOldEventOfAUpsOnBatteryFails() {
        RuleVerdict verdict = evaluate(unclassified(UpsStatus.UPS_STATUS_ON_BATTERY, Duration.ofMinutes(30), daysAgo(10)),
                CheckStatus.CHECK_STATUS_FAIL);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("UPS server-ups on battery (76 % charge)");
    }

    @Test
    void anOldEventOfAHealthyUpsStillPassesOnTheAgentsOwnVerdict() {
        assertThat(evaluate(unclassified(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(30), daysAgo(10))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.PASS, "UPS server-ups online; "
                        + "runtime on battery 30 min (servers need 10 min to shut down); self-test 10 days ago (limit 90 days)"));
    }

    @Test
    void anOldEventWithoutARuntimeOrSelfTestDateIsAtRiskNotZeroOrFailedForEver() {
        RuleVerdict verdict = evaluate(unclassified(UpsStatus.UPS_STATUS_ONLINE, Duration.ZERO, daysAgo(1)).clearRuntime().clearSelfTestAt(),
                CheckStatus.CHECK_STATUS_WARN);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(verdict.reason()).contains("UPS server-ups does not report its runtime")
                .contains("UPS server-ups self-test not dated by its agent: update the Rampart agent");
    }
}
