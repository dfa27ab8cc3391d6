package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.junit.jupiter.params.provider.CsvSource;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.MovingClock;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.RealUpsd;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsConditionKind;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;
import io.rampart.protocol.agent.v1.UpsSettings;
import io.rampart.protocol.agent.v1.UpsStatus;

/** Against a real upsd and the dummy-ups driver of Network UPS Tools, started for this class. */
class UpsCollectorTest {

    /** A Wednesday. */
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final CheckDefinition SERVER_UPS = CheckDefinition.newBuilder()
            .setCheckId("server-ups")
            .setKind(CheckKind.CHECK_KIND_UPS)
            .setUps(UpsSettings.newBuilder()
                    .setMinRuntime(DesiredConfiguration.toProto(Duration.ofMinutes(10)))
                    .setMaxSelfTestAge(DesiredConfiguration.toProto(Duration.ofDays(90)))
                    .setSelfTestGrace(DesiredConfiguration.toProto(Duration.ofHours(2))))
            .build();
    private static final String RUN_ONE = "; let Rampart run it: give it an upsd user with instcmds = test.battery.start.quick "
            + "and a self-test window in checks.properties";

    @TempDir
    static Path scratch;

    private static RealUpsd nut;

    @TempDir
    Path settingsDirectory;
    @TempDir
    Path agentHome;

    private final MovingClock clock = new MovingClock(NOW, ZoneOffset.UTC);

    @BeforeAll
    static void startNetworkUpsTools() throws Exception {
        Assumptions.assumeTrue(RealUpsd.installed(), "Network UPS Tools (nut-server) is not installed");
        nut = RealUpsd.start(scratch, online());
        try {
            awaitVariables(online());
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("upsd did not come up; its log:\n" + nut.log(), e);
        }
    }

    @AfterAll
    static void stopNetworkUpsTools() throws InterruptedException {
        if (nut != null) {
            nut.close();
        }
    }

    @Test
    void passesWhenTheUpsIsOnlineWithEnoughRuntimeAndARecentSelfTest() throws IOException {
        show(online());

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getCheckId()).isEqualTo("server-ups");
        assertThat(result.getSummary()).isEqualTo("UPS test: online, charging, charge 100%; "
                + "UPS test: runtime on battery 35 min (servers need 10 min to shut down); "
                + "UPS test: self-test passed 54 days ago (limit 90 days)");
        assertThat(result.getUps().getUpsName()).isEqualTo("test");
        assertThat(result.getUps().getStatus()).isEqualTo(UpsStatus.UPS_STATUS_ONLINE);
        assertThat(result.getUps().getClassified()).isTrue();
        assertThat(result.getUps().getRawStatus()).isEqualTo("OL CHRG");
        assertThat(result.getUps().getChargePercent()).isEqualTo(100.0);
        assertThat(result.getUps().getRuntime().getSeconds()).isEqualTo(2100);
        assertThat(result.getUps().getRuntimeReported()).isTrue();
        assertThat(result.getUps().getSelfTestResult()).isEqualTo("Done and passed");
        assertThat(result.getUps().getSelfTestAt().getSeconds()).isEqualTo(Instant.parse("2026-10-02T00:00:00Z").getEpochSecond());
        assertThat(result.getUps().getLastPassedSelfTest().getTimeSource()).isEqualTo(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_REPORTED_BY_UPS);
        assertThat(result.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NO_USER);
    }

    @Test
    void failsWhenTheUpsIsOnBypassWithAnAlarmThoughOnlineWithRuntimeAndARecentSelfTest() throws IOException {
        Map<String, String> bypass = online();
        bypass.put("ups.status", "OL BYPASS ALARM");
        bypass.put("ups.alarm", "Replace battery! No battery installed!");
        bypass.put("battery.runtime", "1800");
        bypass.put("ups.test.date", "2026-11-15");
        show(bypass);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo(
                "UPS test: on bypass: mains power goes straight to the servers, no battery protection (BYPASS); "
                        + "UPS test: alarm: Replace battery! No battery installed! (ALARM)");
        assertThat(result.getUps().getConditionsList()).extracting(c -> c.getKind())
                .containsExactly(UpsConditionKind.UPS_CONDITION_KIND_BYPASS, UpsConditionKind.UPS_CONDITION_KIND_ALARM);
    }

    /** Every flag of NUT's ups.status list (docs/new-drivers.txt), and flags drivers invent, as upsd serves them. */
    @ParameterizedTest(name = "ups.status \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "OB DISCHRG    | FAIL | UPS test: on battery, mains power is out (OB), charge 100%",
            "OB LB         | FAIL | UPS test: on battery, mains power is out (OB), charge 100%; UPS test: battery low, the servers are about to be shut down (LB)",
            "OL RB         | FAIL | UPS test: the battery needs replacing (RB)",
            "OL BYPASS     | FAIL | UPS test: on bypass: mains power goes straight to the servers, no battery protection (BYPASS)",
            "OL OVER       | FAIL | UPS test: overloaded: the servers draw more than the UPS can carry (OVER)",
            "OFF           | FAIL | UPS test: off: the UPS does not supply power to the servers (OFF)",
            "OL FSD        | FAIL | UPS test: forced shutdown: the servers are being shut down (FSD)",
            "OL ALARM      | FAIL | UPS test: alarm raised but the UPS does not say which (ALARM, no ups.alarm)",
            "OL OVERHEAT   | FAIL | UPS test: overheated (OVERHEAT)",
            "OL DISCHRG    | WARN | UPS test: the battery discharges although mains power is present (OL DISCHRG)",
            "OL CAL        | WARN | UPS test: runtime calibration: the battery is being drained on purpose (CAL)",
            "OL HB         | WARN | UPS test: battery voltage too high (HB)",
            "WAIT          | WARN | UPS test: upsd is still waiting for the UPS driver's first report (WAIT)",
            "OL NEWFLAG    | WARN | UPS test: unknown status flag NEWFLAG (not one of NUT's; see the UPS's manual or display)",
            "CHRG          | WARN | UPS test: the UPS reports neither on line (OL) nor on battery (OB): ups.status is \"CHRG\"",
            "OL TRIM       | PASS | UPS test: online, lowering a high mains voltage (TRIM), charge 100%",
            "OL BOOST      | PASS | UPS test: online, raising a low mains voltage (BOOST), charge 100%",
            "OL ECO        | PASS | UPS test: online, in ECO mode (ECO), charge 100%",
            "OL TEST       | PASS | UPS test: online, self-test running (TEST), charge 100%",
    })
    void judgesEveryStatusFlagInWords(String status, String expected, String summary) throws IOException {
        Map<String, String> variables = online();
        variables.put("ups.status", status);
        show(variables);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.valueOf("CHECK_STATUS_" + expected));
        if (expected.equals("PASS")) {
            assertThat(result.getSummary()).startsWith(summary + "; UPS test: runtime on battery 35 min");
        } else {
            assertThat(result.getSummary()).isEqualTo(summary);
        }
    }

    @Test
    void saysTheUpsDoesNotReportItsRuntimeInsteadOfZero() throws IOException {
        Map<String, String> noRuntime = online();
        noRuntime.put("battery.runtime", RealUpsd.ABSENT);
        show(noRuntime);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).isEqualTo(
                "UPS test: the UPS does not report its runtime, so the 10 min the servers need to shut down cannot be checked");
        assertThat(result.getUps().getRuntimeReported()).isFalse();
        assertThat(result.getUps().hasRuntime()).isFalse();
    }

    @Test
    void failsWhenThePracticeRunsOnALowBatteryWithTooLittleRuntime() throws IOException {
        Map<String, String> onBattery = online();
        onBattery.put("ups.status", "OB LB");
        onBattery.put("battery.charge", "20");
        onBattery.put("battery.runtime", "240");
        show(onBattery);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("UPS test: on battery, mains power is out (OB), charge 20%; "
                + "UPS test: battery low, the servers are about to be shut down (LB); "
                + "UPS test: runtime on battery 4 min (servers need 10 min to shut down)");
        assertThat(result.getUps().getStatus()).isEqualTo(UpsStatus.UPS_STATUS_LOW_BATTERY);
        assertThat(result.getUps().getRuntime().getSeconds()).isEqualTo(240);
    }

    @Test
    void failsWhenTheSelfTestFailedOrIsOverdue() throws IOException {
        Map<String, String> badTest = online();
        badTest.put("ups.test.result", "Done and error");
        badTest.put("ups.test.date", "06/01/2026");
        show(badTest);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("UPS test: self-test failed 177 days ago: Done and error; "
                + "UPS test: no passed self-test on record (limit 90 days)" + RUN_ONE);
    }

    /**
     * The words of each driver family (usbhid-ups, snmp-ups MIBs, apcsmart, apcupsd-ups, apc_modbus...) as upsd serves
     * them. A warning or an aborted test proves nothing: with no passed test on record the check fails.
     */
    @ParameterizedTest(name = "ups.test.result \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Done and passed                                  | PASS | UPS test: self-test passed 54 days ago (limit 90 days)",
            "OK                                               | PASS | UPS test: self-test passed 54 days ago (limit 90 days)",
            "Passed, Source: Protocol                         | PASS | UPS test: self-test passed 54 days ago (limit 90 days)",
            "done and warning                                 | FAIL | UPS test: self-test ended with a warning 54 days ago: done and warning",
            "Aborted                                          | FAIL | UPS test: self-test aborted 54 days ago: Aborted",
            "BT                                               | FAIL | UPS test: self-test failed 54 days ago: BT",
            "NG                                               | FAIL | UPS test: self-test failed 54 days ago: NG",
            "Failed, Source: LocalUI, Modifier: InternalFault | FAIL | UPS test: self-test failed 54 days ago: Failed, Source: LocalUI, Modifier: InternalFault",
            "Battery Bad (Replace)                            | FAIL | UPS test: self-test failed 54 days ago: Battery Bad (Replace)",
    })
    void judgesTheSelfTestWordsOfEachDriverFamily(String words, String expected, String part) throws IOException {
        Map<String, String> variables = online();
        variables.put("ups.test.result", words);
        show(variables);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.valueOf("CHECK_STATUS_" + expected));
        assertThat(result.getSummary()).contains(part);
    }

    @Test
    void datesTheSelfTestOfAUsbUpsByWhenRampartFirstSawTheNewResultAndRemembersItAcrossRestarts() throws IOException {
        Map<String, String> usb = usbUps("No test initiated");
        show(usb);

        CheckResult never = collector("ups=test").run(SERVER_UPS);

        assertThat(never.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(never.getSummary()).isEqualTo("UPS test: no passed self-test on record (limit 90 days)" + RUN_ONE);
        assertThat(never.getUps().getLatestSelfTest().getOutcome()).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE);

        // the practice runs a self-test from the UPS's front panel
        show(usbUps("Done and passed"));
        clock.advance(Duration.ofHours(1));
        CheckResult tested = collector("ups=test").run(SERVER_UPS);

        assertThat(tested.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(tested.getSummary()).isEqualTo("UPS test: online, charge 100%; "
                + "UPS test: runtime on battery 34 min (servers need 10 min to shut down); "
                + "UPS test: self-test passed 0 s ago (limit 90 days), dated when Rampart first saw the result (the UPS reports no date)");
        assertThat(tested.getUps().getLastPassedSelfTest().getTimeSource())
                .isEqualTo(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_FIRST_SEEN_BY_RAMPART);

        // a new agent (restarted) 30 days later still knows when it first saw the result
        clock.advance(Duration.ofDays(30));
        assertThat(collector("ups=test").run(SERVER_UPS).getSummary()).endsWith(
                "UPS test: self-test passed 30 days ago (limit 90 days), dated when Rampart first saw the result (the UPS reports no date)");

        clock.advance(Duration.ofDays(61));
        CheckResult overdue = collector("ups=test").run(SERVER_UPS);
        assertThat(overdue.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(overdue.getSummary()).isEqualTo("UPS test: self-test passed 91 days ago (limit 90 days), "
                + "dated when Rampart first saw the result (the UPS reports no date)" + RUN_ONE);
    }

    @Test
    void neverTakesAResultFoundOnFirstLookForARecentSelfTest() throws IOException {
        show(usbUps("Done and passed"));

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).isEqualTo("UPS test: self-test passed at a date the UPS does not report, "
                + "before Rampart began watching 0 s ago (limit 90 days)" + RUN_ONE);
        assertThat(result.getUps().getLastPassedSelfTest().getTimeSource())
                .isEqualTo(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED);
    }

    @Test
    void fallsBackToFirstSeenWhenUpsdSaysTheDriverCannotStartASelfTest() throws IOException {
        show(usbUps("No test initiated"));
        String[] settings = { "ups=test", "username=" + RealUpsd.USER, "password-file=" + passwordFile(),
                "self-test-window=Wed 11:00-13:00" };

        CheckResult refused = collector(settings).run(SERVER_UPS);

        // dummy-ups has no instant commands: upsd answers ERR CMD-NOT-SUPPORTED to INSTCMD test.battery.start.quick
        assertThat(refused.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NOT_SUPPORTED);
        assertThat(refused.getSummary()).isEqualTo("UPS test: no passed self-test on record (limit 90 days); "
                + "this UPS's NUT driver cannot start a self-test: run one from the UPS itself");

        show(usbUps("Done and passed"));
        clock.advance(Duration.ofMinutes(10));
        CheckResult tested = collector(settings).run(SERVER_UPS);

        assertThat(tested.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(tested.getSummary()).endsWith("UPS test: self-test passed 0 s ago (limit 90 days), "
                + "dated when Rampart first saw the result (the UPS reports no date)");
        assertThat(tested.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NOT_SUPPORTED);
    }

    @Test
    void neverTakesASelfTestDatedInTheFutureForARecentOne() throws IOException {
        Map<String, String> clockAhead = online();
        clockAhead.put("ups.test.date", "2027-11-20");
        show(clockAhead);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getSummary()).startsWith("UPS test: self-test passed at a date the UPS does not report, before Rampart began watching");
        assertThat(result.getFutureDatedList()).extracting(item -> item.getName())
                .containsExactly("UPS self-test (ups.test.date 2027-11-20)");
    }

    @Test
    void saysWhenAUpsReportsNoSelfTestResultsAtAll() throws IOException {
        Map<String, String> blazer = usbUps(RealUpsd.ABSENT);
        show(blazer);

        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getSummary()).isEqualTo("UPS test: no passed self-test on record (limit 90 days); "
                + "this UPS reports no self-test results (no ups.test.result), so no test can be proven: "
                + "test it by hand and record a policy exception");
    }

    @Test
    void startsAfreshWhenAnotherUpsIsBehindTheSameCheck() throws IOException {
        Map<String, String> first = usbUps("No test initiated");
        first.put("ups.serial", "AS1234");
        show(first);
        collector("ups=test").run(SERVER_UPS);
        first.put("ups.test.result", "Done and passed");
        show(first);
        assertThat(collector("ups=test").run(SERVER_UPS).getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);

        Map<String, String> replacement = usbUps("Done and passed");
        replacement.put("ups.serial", "BX9876");
        show(replacement);
        CheckResult result = collector("ups=test").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_WARN);
        assertThat(result.getUps().getLastPassedSelfTest().getTimeSource())
                .isEqualTo(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_BEFORE_RAMPART_WATCHED);
    }

    @Test
    void logsInWhenAUsernameAndPasswordFileAreSet() throws IOException {
        show(online());

        CheckResult result = collector("ups=test", "username=" + RealUpsd.USER, "password-file=" + passwordFile()).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(result.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_NO_WINDOW);
    }

    @Test
    void errorsNamingTheSettingWhenUpsdDoesNotKnowTheUps() {
        CheckResult result = collector("ups=no-such-ups").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("upsd at localhost:" + nut.port() + " knows no UPS named no-such-ups")
                .contains("check.server-ups.ups");
    }

    @Test
    void errorsNamingHostAndPortWhenUpsdIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CheckResult result = new UpsCollector(AgentHome.at(agentHome), settings("ups=test", "host=127.0.0.1", "port=" + closedPort),
                clock).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("upsd at 127.0.0.1:" + closedPort + " is unreachable")
                .contains("check.server-ups.host").contains("check.server-ups.port");
        assertThat(result.getUps().getStatus()).isEqualTo(UpsStatus.UPS_STATUS_UNREACHABLE);
    }

    @Test
    void errorsNamingThePropertyWhenNoUpsIsSet() {
        CheckResult result = new UpsCollector(AgentHome.at(agentHome), LocalChecks.of(Map.of()), clock).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.server-ups.ups=<name of the UPS in upsd> in checks.properties");
    }

    @Test
    void errorsNamingThePropertyWhenTheSelfTestWindowCannotBeRead() {
        CheckResult result = collector("ups=test", "self-test-window=Tuesday morning").run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("check.server-ups.self-test-window: 'Tuesday morning' is not a self-test window");
    }

    @Test
    void readsTheSelfTestDateInTheFormsFirmwareUses() {
        assertThat(UpsCollector.parseTestDate("2026-10-02", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T00:00:00Z"));
        assertThat(UpsCollector.parseTestDate("10/02/2026", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T00:00:00Z"));
        assertThat(UpsCollector.parseTestDate("2026/10/02 13:45:10", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T13:45:10Z"));
        assertThat(UpsCollector.parseTestDate("2026-10-02T13:45:10+02:00", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T11:45:10Z"));
        assertThat(UpsCollector.parseTestDate("not yet", ZoneOffset.UTC)).isEmpty();
    }

    /** What a healthy network-card UPS reports: it dates its own self-test. */
    static Map<String, String> online() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ups.status", "OL CHRG");
        variables.put("ups.serial", RealUpsd.ABSENT);
        variables.put("ups.alarm", RealUpsd.ABSENT);
        variables.put("battery.charge", "100");
        variables.put("battery.runtime", "2100");
        variables.put("ups.test.result", "Done and passed");
        variables.put("ups.test.date", "2026-10-02");
        return variables;
    }

    /** A USB UPS as usbhid-ups reports it: no ups.test.date, ever. */
    static Map<String, String> usbUps(String testResult) {
        Map<String, String> variables = online();
        variables.put("ups.status", "OL");
        variables.put("battery.runtime", "2079");
        variables.put("ups.test.result", testResult);
        variables.put("ups.test.date", RealUpsd.ABSENT);
        return variables;
    }

    /** Has the dummy UPS report these values, and waits until upsd passes them on. */
    private static void show(Map<String, String> expected) throws IOException {
        nut.report(expected);
        awaitVariables(expected);
    }

    private static void awaitVariables(Map<String, String> expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> {
                    Map<String, String> served = variables();
                    expected.forEach((name, value) -> {
                        if (value.isEmpty()) {
                            assertThat(served).doesNotContainKey(name);
                        } else {
                            assertThat(served).containsEntry(name, value);
                        }
                    });
                });
    }

    private static Map<String, String> variables() throws Exception {
        return new NutClient("127.0.0.1", nut.port(), Duration.ofSeconds(2)).listVariables(RealUpsd.UPS, Optional.empty());
    }

    private Path passwordFile() throws IOException {
        Path passwordFile = settingsDirectory.resolve("ups.pass");
        Files.writeString(passwordFile, RealUpsd.PASSWORD + "\n", StandardCharsets.UTF_8);
        return passwordFile;
    }

    private UpsCollector collector(String... lines) {
        String[] withPort = new String[lines.length + 1];
        System.arraycopy(lines, 0, withPort, 0, lines.length);
        withPort[lines.length] = "port=" + nut.port();
        return new UpsCollector(AgentHome.at(agentHome), settings(withPort), clock);
    }

    private LocalChecks settings(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append("check.server-ups.").append(line).append('\n');
        }
        Path file = settingsDirectory.resolve("checks-" + System.nanoTime() + ".properties");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return LocalChecks.read(file);
    }
}
