package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.DesiredConfiguration;
import io.rampart.agent.config.LocalChecks;
import io.rampart.agent.nut.FakeUpsd;
import io.rampart.agent.nut.MovingClock;
import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckResult;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.UpsSelfTestControl;
import io.rampart.protocol.agent.v1.UpsSelfTestOutcome;
import io.rampart.protocol.agent.v1.UpsSelfTestTimeSource;
import io.rampart.protocol.agent.v1.UpsSettings;

/**
 * The agent starting the UPS self-test itself (INSTCMD test.battery.start.quick). NUT's dummy-ups driver has no instant
 * commands (upsd answers ERR CMD-NOT-SUPPORTED, covered in UpsCollectorTest against the real upsd), so a driver that
 * accepts the command is played by {@link FakeUpsd}, which answers as upsd does (OK, ERR ACCESS-DENIED) and then
 * changes ups.test.result the way usbhid-ups does ("In progress", then "Done and passed").
 */
class UpsSelfTestStartedByRampartTest {

    /** A Wednesday, 12:00 UTC. */
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String INSTCMD = "INSTCMD rack test.battery.start.quick";
    private static final CheckDefinition CHECK = CheckDefinition.newBuilder().setCheckId("ups").setKind(CheckKind.CHECK_KIND_UPS)
            .setUps(UpsSettings.newBuilder().setMinRuntime(DesiredConfiguration.toProto(Duration.ofMinutes(10)))
                    .setMaxSelfTestAge(DesiredConfiguration.toProto(Duration.ofDays(90)))
                    .setSelfTestGrace(DesiredConfiguration.toProto(Duration.ofHours(2))))
            .build();

    @TempDir
    Path home;

    private FakeUpsd upsd;
    private final MovingClock clock = new MovingClock(NOW, ZoneOffset.UTC);

    @BeforeEach
    void start() throws IOException {
        upsd = new FakeUpsd("rack", usb("No test initiated"));
    }

    @AfterEach
    void stop() throws IOException {
        upsd.close();
    }

    @Test
    void startsTheQuickSelfTestInItsWindowAndRecordsTheOutcomeAsRunByRampart() throws IOException {
        upsd.answerInstantCommands("OK", () -> upsd.variables(usb("In progress")));

        CheckResult started = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(upsd.received).containsSubsequence("USERNAME \"rampart\"", "PASSWORD \"pw\"", INSTCMD);
        assertThat(started.getUps().getLatestSelfTest().getOutcome()).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS);
        assertThat(started.getSummary()).isEqualTo("UPS rack: no passed self-test on record (limit 90 days); a self-test is running now");

        upsd.variables(usb("Done and passed"));
        clock.advance(Duration.ofMinutes(5));
        CheckResult done = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(done.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_PASS);
        assertThat(done.getSummary()).endsWith("UPS rack: self-test passed 5 min ago (limit 90 days), in a test Rampart started");
        assertThat(done.getUps().getLastPassedSelfTest().getTimeSource()).isEqualTo(UpsSelfTestTimeSource.UPS_SELF_TEST_TIME_SOURCE_RUN_BY_RAMPART);
        assertThat(done.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED);
        assertThat(upsd.received.stream().filter(INSTCMD::equals)).hasSize(1);
    }

    @Test
    void runsTheNextTestWhenThreeQuartersOfTheLimitHavePassedAndTakesTheSameWordsOfATestSeenRunning() throws IOException {
        upsd.answerInstantCommands("OK", () -> upsd.variables(usb("In progress")));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        upsd.variables(usb("Done and passed"));
        clock.advance(Duration.ofMinutes(5));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        // ten weeks later, a Wednesday again: 70 days is past three quarters of 90
        clock.advance(Duration.ofDays(70));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        upsd.variables(usb("Done and passed"));
        clock.advance(Duration.ofMinutes(3));
        CheckResult again = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(upsd.received.stream().filter(INSTCMD::equals)).hasSize(2);
        assertThat(again.getSummary()).endsWith("UPS rack: self-test passed 3 min ago (limit 90 days), in a test Rampart started");
    }

    @Test
    void neverCreditsATestTheUpsShowedNoSignOfWhenItsResultStaysTheSame() throws IOException {
        upsd.answerInstantCommands("OK", () -> upsd.variables(usb("In progress")));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        upsd.variables(usb("Done and passed"));
        clock.advance(Duration.ofMinutes(5));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        // 70 days later the UPS accepts the command but never runs the test: "Done and passed" stays as it was
        upsd.answerInstantCommands("OK", () -> {
        });
        clock.advance(Duration.ofDays(70));
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        clock.advance(Duration.ofMinutes(3));
        CheckResult waiting = collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        clock.advance(Duration.ofHours(1));
        CheckResult givenUp = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(waiting.getUps().getLatestSelfTest().getOutcome()).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS);
        assertThat(givenUp.getSummary()).endsWith("UPS rack: self-test passed 70 days ago (limit 90 days), in a test Rampart started");
    }

    @Test
    void neverStartsATestOutsideItsWindowOrInsideTheBackupWindow() throws IOException {
        upsd.answerInstantCommands("OK", () -> upsd.variables(usb("In progress")));

        CheckResult thursdayOnly = collector("self-test-window=Thu 11:00-13:00").run(CHECK);
        CheckResult duringBackups = new UpsCollector(AgentHome.at(home), settings("self-test-window=Wed 11:00-13:00")
                .withBackupWindow("11:30-14:00"), clock, UpsCollector.DEFAULT_TIMEOUT, clock::advance).run(CHECK);
        CheckResult rightBeforeBackups = new UpsCollector(AgentHome.at(home), settings("self-test-window=Wed 11:00-13:00")
                .withBackupWindow("12:05-14:00"), clock, UpsCollector.DEFAULT_TIMEOUT, clock::advance).run(CHECK);

        assertThat(upsd.received).doesNotContain(INSTCMD);
        assertThat(thursdayOnly.getSummary()).isEqualTo("UPS rack: no passed self-test on record (limit 90 days); "
                + "Rampart starts one in its next self-test window");
        assertThat(duringBackups.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(rightBeforeBackups.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_ALLOWED);
    }

    @Test
    void neverTestsAUpsThatIsNotOnLineOrHasALowCharge() throws IOException {
        upsd.answerInstantCommands("OK", () -> upsd.variables(usb("In progress")));
        Map<String, String> weak = usb("No test initiated");
        weak.put("battery.charge", "60");
        upsd.variables(weak);

        collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        Map<String, String> onBattery = usb("No test initiated");
        onBattery.put("ups.status", "OB DISCHRG");
        upsd.variables(onBattery);
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(upsd.received).doesNotContain(INSTCMD);
    }

    @Test
    void neverTestsAUpsThatReportsNoSelfTestResults() throws IOException {
        upsd.answerInstantCommands("OK", () -> {
        });
        Map<String, String> blazer = usb("");
        blazer.remove("ups.test.result");
        upsd.variables(blazer);

        collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(upsd.received).doesNotContain(INSTCMD);
    }

    @Test
    void saysWhatToChangeWhenUpsdRefusesTheCommandAndTriesAtMostOnceADay() throws IOException {
        upsd.answerInstantCommands("ERR ACCESS-DENIED", () -> {
        });

        CheckResult denied = collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        clock.advance(Duration.ofMinutes(30));
        CheckResult later = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(denied.getUps().getSelfTestControl()).isEqualTo(UpsSelfTestControl.UPS_SELF_TEST_CONTROL_DENIED);
        assertThat(later.getSummary()).isEqualTo("UPS rack: no passed self-test on record (limit 90 days); "
                + "upsd refused Rampart's user the command test.battery.start.quick: add instcmds = test.battery.start.quick "
                + "to that user in upsd.users");
        assertThat(upsd.received.stream().filter(INSTCMD::equals)).hasSize(1);
    }

    @Test
    void givesUpOnATestThatNeverReportsAResultAndDatesWhatItSaysTheUsualWay() throws IOException {
        upsd.answerInstantCommands("OK", () -> {
        });
        collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        clock.advance(Duration.ofMinutes(30));
        CheckResult waiting = collector("self-test-window=Wed 11:00-13:00").run(CHECK);
        clock.advance(Duration.ofMinutes(31));
        CheckResult givenUp = collector("self-test-window=Wed 11:00-13:00").run(CHECK);

        assertThat(waiting.getUps().getLatestSelfTest().getOutcome()).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_IN_PROGRESS);
        assertThat(givenUp.getUps().getLatestSelfTest().getOutcome()).isEqualTo(UpsSelfTestOutcome.UPS_SELF_TEST_OUTCOME_NONE);
        assertThat(givenUp.getSummary()).isEqualTo("UPS rack: no passed self-test on record (limit 90 days); "
                + "Rampart starts one in its next self-test window");
    }

    private static Map<String, String> usb(String testResult) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("ups.status", "OL");
        variables.put("battery.charge", "100");
        variables.put("battery.runtime", "2079");
        variables.put("ups.test.result", testResult);
        return variables;
    }

    /** The agent as it runs, but its looks at the UPS under test move the clock instead of waiting. */
    private UpsCollector collector(String... lines) throws IOException {
        return new UpsCollector(AgentHome.at(home), settings(lines), clock, UpsCollector.DEFAULT_TIMEOUT, clock::advance);
    }

    private LocalChecks settings(String... lines) {
        try {
            Path password = home.resolve("ups.pass");
            Files.writeString(password, "pw\n", StandardCharsets.UTF_8);
            StringBuilder text = new StringBuilder("check.ups.ups=rack\ncheck.ups.host=127.0.0.1\ncheck.ups.port=" + upsd.port()
                    + "\ncheck.ups.username=rampart\ncheck.ups.password-file=" + password + "\n");
            for (String line : lines) {
                text.append("check.ups.").append(line).append('\n');
            }
            Path file = home.resolve("checks-" + System.nanoTime() + ".properties");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return LocalChecks.read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
