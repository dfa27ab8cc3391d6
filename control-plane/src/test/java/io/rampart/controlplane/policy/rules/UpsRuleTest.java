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

import io.rampart.controlplane.fleet.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsObservation;
import io.rampart.protocol.agent.v1.UpsStatus;

/** ups: online, self-test passed within 90 days (grace 2 h), runtime >= 10 min shutdown time. */
class UpsRuleTest {

    private final UpsRule rule = new UpsRule();

    private static UpsObservation.Builder ups(UpsStatus status, Duration runtime, Instant selfTestAt) {
        return UpsObservation.newBuilder().setUpsName("server-ups").setStatus(status).setChargePercent(100).setRuntime(pd(runtime))
                .setSelfTestResult("Done and passed").setSelfTestAt(ts(selfTestAt));
    }

    private RuleVerdict evaluate(UpsObservation.Builder ups) {
        return rule.evaluate(practice().withCheck(evidence(result("ups", CheckKind.CHECK_KIND_UPS, CheckStatus.CHECK_STATUS_PASS).setUps(ups))), NOW);
    }

    @Test
    void anOnlineUpsWith10MinutesRuntimeAndASelfTest90DaysAgoPasses() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(10), daysAgo(90))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.PASS,
                        "UPS server-ups online; runtime on battery 10 min (servers need 10 min to shut down); self-test passed 90 days ago (limit 90 days)"));
    }

    @Test
    void aSelfTestJustOver90DaysAgoIsAtRisk() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(30), ago(Duration.ofDays(90).plusHours(1)))).status())
                .isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void aSelfTest91DaysAgoFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(30), daysAgo(91))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "self-test passed 91 days ago (limit 90 days)"));
    }

    @Test
    void aUpsOnBatteryFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ON_BATTERY, Duration.ofMinutes(30), daysAgo(10)).setChargePercent(76)))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "UPS server-ups on battery (76 % charge)"));
    }

    @Test
    void aRuntimeShorterThanTheShutdownTimeFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(6), daysAgo(10))))
                .isEqualTo(new RuleVerdict("ups", PracticeStatus.FAIL, "runtime on battery 6 min (servers need 10 min to shut down)"));
    }

    @Test
    void aLowBatteryFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_LOW_BATTERY, Duration.ofMinutes(30), daysAgo(10))).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void aFailedSelfTestFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(30), daysAgo(10)).setSelfTestResult("Done and failed")).reason())
                .isEqualTo("last self-test did not pass: Done and failed");
    }

    @Test
    void aUpsThatReportsNoSelfTestDateFails() {
        assertThat(evaluate(ups(UpsStatus.UPS_STATUS_ONLINE, Duration.ofMinutes(30), daysAgo(10)).clearSelfTestAt()).reason())
                .isEqualTo("UPS server-ups reports no self-test date");
    }
}
