package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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

import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.NutClient;
import io.rampart.agent.nut.RealUpsd;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsSettings;
import io.rampart.protocol.agent.v1.UpsStatus;

/** Against a real upsd and the dummy-ups driver of Network UPS Tools, started for this class. */
class UpsCollectorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final CheckDefinition SERVER_UPS = CheckDefinition.newBuilder()
            .setCheckId("server-ups")
            .setKind(CheckKind.CHECK_KIND_UPS)
            .setUps(UpsSettings.newBuilder()
                    .setMinRuntime(DesiredConfiguration.toProto(Duration.ofMinutes(10)))
                    .setMaxSelfTestAge(DesiredConfiguration.toProto(Duration.ofDays(90))))
            .build();

    @TempDir
    static Path scratch;

    private static RealUpsd nut;

    @TempDir
    Path settingsDirectory;

    @BeforeAll
    static void startNetworkUpsTools() throws Exception {
        Assumptions.assumeTrue(RealUpsd.installed(), "Network UPS Tools (nut-server) is not installed");
        nut = RealUpsd.start(scratch, online());
        try {
            awaitVariables(online());
        } catch (RuntimeException e) {
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
        assertThat(result.getSummary()).isEqualTo("online, charge 100%, runtime 35 min; self-test passed on 2026-10-02");
        assertThat(result.getUps().getUpsName()).isEqualTo("test");
        assertThat(result.getUps().getStatus()).isEqualTo(UpsStatus.UPS_STATUS_ONLINE);
        assertThat(result.getUps().getRawStatus()).isEqualTo("OL CHRG");
        assertThat(result.getUps().getChargePercent()).isEqualTo(100.0);
        assertThat(result.getUps().getRuntime().getSeconds()).isEqualTo(2100);
        assertThat(result.getUps().getSelfTestResult()).isEqualTo("Done and passed");
        assertThat(result.getUps().getSelfTestAt().getSeconds()).isEqualTo(Instant.parse("2026-10-02T00:00:00Z").getEpochSecond());
    }

    @Test
    void logsInWhenAUsernameAndPasswordFileAreSet() throws IOException {
        show(online());
        Path passwordFile = settingsDirectory.resolve("ups.pass");
        Files.writeString(passwordFile, RealUpsd.PASSWORD + "\n", StandardCharsets.UTF_8);

        CheckResult result = collector("ups=test", "username=" + RealUpsd.USER, "password-file=" + passwordFile).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
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
        assertThat(result.getSummary()).isEqualTo(
                "on battery, battery low, charge 20%; runtime on battery 4 min, the servers need 10 min to shut down");
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
        assertThat(result.getSummary()).isEqualTo("self-test failed on 2026-06-01 (Done and error); "
                + "last self-test on 2026-06-01 is 177 days 12 h old (limit 90 days)");
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
        CheckResult result = new UpsCollector(settings("ups=test", "host=127.0.0.1", "port=" + closedPort), CLOCK).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).startsWith("upsd at 127.0.0.1:" + closedPort + " is unreachable")
                .contains("check.server-ups.host").contains("check.server-ups.port");
        assertThat(result.getUps().getStatus()).isEqualTo(UpsStatus.UPS_STATUS_UNREACHABLE);
    }

    @Test
    void errorsNamingThePropertyWhenNoUpsIsSet() {
        CheckResult result = new UpsCollector(LocalChecks.of(Map.of()), CLOCK).run(SERVER_UPS);

        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_ERROR);
        assertThat(result.getSummary()).contains("set check.server-ups.ups=<name of the UPS in upsd> in checks.properties");
    }

    @Test
    void readsTheSelfTestDateInTheFormsFirmwareUses() {
        assertThat(UpsCollector.parseTestDate("2026-10-02", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T00:00:00Z"));
        assertThat(UpsCollector.parseTestDate("10/02/2026", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T00:00:00Z"));
        assertThat(UpsCollector.parseTestDate("2026/10/02 13:45:10", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T13:45:10Z"));
        assertThat(UpsCollector.parseTestDate("2026-10-02T13:45:10+02:00", ZoneOffset.UTC)).contains(Instant.parse("2026-10-02T11:45:10Z"));
        assertThat(UpsCollector.parseTestDate("not yet", ZoneOffset.UTC)).isEmpty();
    }

    private static Map<String, String> online() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ups.status", "OL CHRG");
        variables.put("battery.charge", "100");
        variables.put("battery.runtime", "2100");
        variables.put("ups.test.result", "Done and passed");
        variables.put("ups.test.date", "2026-10-02");
        return variables;
    }

    /** Has the dummy UPS report these values, and waits until upsd passes them on. */
    private static void show(Map<String, String> expected) throws IOException {
        nut.report(expected);
        awaitVariables(expected);
    }

    private static void awaitVariables(Map<String, String> expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> assertThat(variables()).containsAllEntriesOf(expected));
    }

    private static Map<String, String> variables() throws Exception {
        return new NutClient("127.0.0.1", nut.port(), Duration.ofSeconds(2)).listVariables(RealUpsd.UPS, Optional.empty());
    }

    private UpsCollector collector(String... lines) {
        String[] withPort = new String[lines.length + 1];
        System.arraycopy(lines, 0, withPort, 0, lines.length);
        withPort[lines.length] = "port=" + nut.port();
        return new UpsCollector(settings(withPort), CLOCK);
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
