package io.rampart.controlplane.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rampart.agent.collectors.UpsCollector;
import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.MovingClock;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.RealUpsd;
import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsSettings;

/**
 * The agent's UpsCollector against a real upsd with dummy-ups, its CheckResult fed to the control plane's UpsRule with
 * the policy's default thresholds (the same the agent gets): both give the same verdict in the same words.
 */
class UpsVerdictsAgreeTest {

    /** A Wednesday. */
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Thresholds.Ups POLICY = Thresholds.Ups.DEFAULT;
    private static final CheckDefinition CHECK = CheckDefinition.newBuilder().setCheckId("ups").setKind(CheckKind.CHECK_KIND_UPS)
            .setUps(UpsSettings.newBuilder().setMinRuntime(Fixtures.pd(POLICY.shutdownTime()))
                    .setMaxSelfTestAge(Fixtures.pd(POLICY.selfTestEvery()))
                    .setSelfTestGrace(Fixtures.pd(POLICY.selfTestGrace())))
            .build();

    @TempDir
    static Path scratch;
    private static RealUpsd nut;

    @TempDir
    Path home;

    private final MovingClock clock = new MovingClock(NOW, ZoneOffset.UTC);

    @BeforeAll
    static void startNetworkUpsTools() throws Exception {
        Assumptions.assumeTrue(RealUpsd.installed(), "Network UPS Tools (nut-server) is not installed");
        nut = RealUpsd.start(scratch, healthy());
        show(healthy());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nut != null) {
            nut.close();
        }
    }

    @Test
    void agreeThatAnOnlineUpsOnBypassWithAnAlarmFails() throws IOException {
        Map<String, String> bypass = healthy();
        bypass.put("ups.status", "OL BYPASS ALARM");
        bypass.put("ups.alarm", "Replace battery! No battery installed!");
        bypass.put("battery.runtime", "1800");
        bypass.put("ups.test.date", "2026-11-15");
        show(bypass);

        RuleVerdict verdict = agree(collector().run(CHECK), PracticeStatus.FAIL);

        assertThat(verdict.reason()).isEqualTo("UPS test: on bypass: mains power goes straight to the servers, no battery protection (BYPASS); "
                + "UPS test: alarm: Replace battery! No battery installed! (ALARM)");
    }

    @ParameterizedTest(name = "ups.status \"{0}\"")
    @ValueSource(strings = { "OL CHRG", "OB DISCHRG", "OB LB", "OL RB", "OL BYPASS", "OL OVER", "OFF", "OL FSD", "OL ALARM",
            "OL DISCHRG", "OL CAL", "OL HB", "WAIT", "OL NEWFLAG", "CHRG", "OL TRIM", "OL BOOST", "OL ECO", "OL TEST", "OL OVERHEAT" })
    void agreeOnEveryStatusFlag(String status) throws IOException {
        Map<String, String> variables = healthy();
        variables.put("ups.status", status);
        show(variables);

        CheckResult result = collector().run(CHECK);

        agree(result, null);
    }

    @Test
    void agreeOnAUsbUpsThatReportsNoTestDateBeforeAndAfterATest() throws IOException {
        Map<String, String> usb = healthy();
        usb.put("ups.status", "OL");
        usb.put("battery.runtime", "2079");
        usb.put("ups.test.result", "No test initiated");
        usb.put("ups.test.date", RealUpsd.ABSENT);
        show(usb);

        RuleVerdict never = agree(collector().run(CHECK), PracticeStatus.FAIL);
        assertThat(never.reason()).startsWith("UPS test: no passed self-test on record (limit 90 days); let Rampart run it");

        usb.put("ups.test.result", "Done and passed");
        show(usb);
        clock.advance(Duration.ofDays(3));
        RuleVerdict tested = agree(collector().run(CHECK), PracticeStatus.PASS);
        assertThat(tested.reason()).endsWith("UPS test: self-test passed 0 s ago (limit 90 days), dated when Rampart first saw the result "
                + "(the UPS reports no date)");

        clock.advance(Duration.ofDays(20));
        agree(collector().run(CHECK), PracticeStatus.PASS);
    }

    @Test
    void agreeOnAUpsThatReportsNoSelfTestResultsAtAll() throws IOException {
        Map<String, String> blazer = healthy();
        blazer.put("ups.test.result", RealUpsd.ABSENT);
        blazer.put("ups.test.date", RealUpsd.ABSENT);
        show(blazer);

        RuleVerdict verdict = agree(collector().run(CHECK), PracticeStatus.FAIL);

        assertThat(verdict.reason()).endsWith("test it by hand and record a policy exception");
    }

    @Test
    void agreeWhenUpsdSaysTheDriverCannotStartTheSelfTestRampartMayRun() throws IOException {
        Map<String, String> usb = healthy();
        usb.put("ups.status", "OL");
        usb.put("ups.test.result", "No test initiated");
        usb.put("ups.test.date", RealUpsd.ABSENT);
        show(usb);
        Path password = home.resolve("upsd.pass");
        Files.writeString(password, RealUpsd.PASSWORD, StandardCharsets.UTF_8);

        RuleVerdict verdict = agree(collector("check.ups.username=" + RealUpsd.USER, "check.ups.password-file=" + password,
                "check.ups.self-test-window=Wed 11:00-13:00").run(CHECK), PracticeStatus.FAIL);

        assertThat(verdict.reason()).isEqualTo("UPS test: no passed self-test on record (limit 90 days); "
                + "this UPS's NUT driver cannot start a self-test: run one from the UPS itself");
    }

    @Test
    void agreeOnAUpsThatDoesNotReportItsRuntime() throws IOException {
        Map<String, String> noRuntime = healthy();
        noRuntime.put("battery.runtime", RealUpsd.ABSENT);
        show(noRuntime);

        RuleVerdict verdict = agree(collector().run(CHECK), PracticeStatus.AT_RISK);

        assertThat(verdict.reason()).isEqualTo(
                "UPS test: the UPS does not report its runtime, so the 10 min the servers need to shut down cannot be checked");
    }

    @ParameterizedTest(name = "ups.test.result \"{0}\"")
    @ValueSource(strings = { "Done and error", "BT", "NG", "Done and warning", "Aborted", "TestInProgress", "Passed, Source: Protocol",
            "OK", "Battery needs service" })
    void agreeOnTheSelfTestWordsOfEachDriverFamily(String words) throws IOException {
        Map<String, String> variables = healthy();
        variables.put("ups.test.result", words);
        show(variables);

        agree(collector().run(CHECK), null);
    }

    /** Feeds the agent's result to the rule at the agent's time: same status, same words. */
    private RuleVerdict agree(CheckResult result, PracticeStatus expected) {
        RuleVerdict verdict = new UpsRule(POLICY).evaluate(Fixtures.practice().withCheck(new CheckEvidence(result, clock.instant())),
                clock.instant());
        PracticeStatus agents = switch (result.getStatus()) {
            case CHECK_STATUS_PASS -> PracticeStatus.PASS;
            case CHECK_STATUS_WARN -> PracticeStatus.AT_RISK;
            default -> PracticeStatus.FAIL;
        };
        assertThat(result.getStatus()).isNotEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(verdict.status()).as(result.getSummary()).isEqualTo(agents);
        assertThat(verdict.reason()).isEqualTo(result.getSummary());
        if (expected != null) {
            assertThat(verdict.status()).isEqualTo(expected);
        }
        return verdict;
    }

    private UpsCollector collector(String... moreSettings) {
        try {
            Path file = home.resolve("checks.properties");
            Files.writeString(file, "check.ups.ups=" + RealUpsd.UPS + "\ncheck.ups.host=127.0.0.1\ncheck.ups.port=" + nut.port() + "\n"
                    + String.join("\n", moreSettings) + "\n", StandardCharsets.UTF_8);
            return new UpsCollector(AgentHome.at(home), LocalChecks.read(file), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A network-card UPS that dates its own self-test, 54 days before NOW. */
    private static Map<String, String> healthy() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ups.status", "OL CHRG");
        variables.put("ups.alarm", RealUpsd.ABSENT);
        variables.put("battery.charge", "100");
        variables.put("battery.runtime", "2100");
        variables.put("ups.test.result", "Done and passed");
        variables.put("ups.test.date", "2026-10-02");
        return variables;
    }

    private static void show(Map<String, String> expected) throws IOException {
        nut.report(expected);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            Map<String, String> served = new NutClient("127.0.0.1", nut.port(), Duration.ofSeconds(2))
                    .listVariables(RealUpsd.UPS, Optional.empty());
            expected.forEach((name, value) -> {
                if (value.isEmpty()) {
                    assertThat(served).doesNotContainKey(name);
                } else {
                    assertThat(served).containsEntry(name, value);
                }
            });
        });
    }
}
