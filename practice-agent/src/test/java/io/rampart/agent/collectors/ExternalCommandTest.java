package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalCommandTest {

    private static final Duration GRACE = Duration.ofMillis(500);

    @TempDir
    Path dir;

    /** A tool that cleans up on SIGINT, as restic and borg do, and waits on a child so the shell can take signals. */
    @Test
    void stopsAToolPastItsTimeLimitWithSigintSoItCanCleanUp() throws IOException {
        Path said = dir.resolve("said");
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sh", "-c",
                "trap 'echo cleaned up > \"$SAID\"; exit 130' INT; sleep 30"))
                .environment(Map.of("SAID", said.toString())).timeout(Duration.ofMillis(500)).stopGraces(GRACE, GRACE).run();

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.stop()).isEqualTo(ExternalCommand.Stop.INTERRUPTED);
        assertThat(outcome.pid()).isPositive();
        assertThat(said).hasContent("cleaned up");
    }

    @Test
    void sendsSigtermToAToolThatIgnoresSigint() throws IOException {
        Path said = dir.resolve("said");
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sh", "-c",
                "trap '' INT; trap 'echo terminated > \"$SAID\"; exit 143' TERM; sleep 30 & wait $!"))
                .environment(Map.of("SAID", said.toString())).timeout(Duration.ofMillis(500)).stopGraces(GRACE, GRACE).run();

        assertThat(outcome.stop()).isEqualTo(ExternalCommand.Stop.TERMINATED);
        assertThat(said).hasContent("terminated");
    }

    @Test
    void killsAToolThatIgnoresSigintAndSigtermOnlyAfterBothGracesAndItsChildrenToo() throws IOException {
        Path child = dir.resolve("child.pid");
        long started = System.nanoTime();
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sh", "-c",
                "trap '' INT TERM; sleep 30 & echo $! > \"$CHILD\"; wait $!"))
                .environment(Map.of("CHILD", child.toString())).timeout(Duration.ofMillis(500)).stopGraces(GRACE, GRACE).run();

        assertThat(outcome.stop()).isEqualTo(ExternalCommand.Stop.KILLED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        long childPid = Long.parseLong(Files.readString(child).strip());
        // killed; init reaps it when it gets to it
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false) == false);
    }

    @Test
    void tellsWhoStartedWhichProcessBeforeWaiting() throws IOException {
        List<Long> started = new java.util.ArrayList<>();
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("true")).onStarted(p -> started.add(p.pid())).run();

        assertThat(started).containsExactly(outcome.pid());
        assertThat(outcome.stop()).isEqualTo(ExternalCommand.Stop.NONE);
    }

    @Test
    void capturesExitCodeAndBothStreamsAndPassesOnlyTheGivenVariables() throws IOException {
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sh", "-c", "echo out $RAMPART_TEST_VALUE; echo err >&2; exit 3"))
                .environment(Map.of("RAMPART_TEST_VALUE", "42")).run();

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.stdout()).isEqualTo("out 42\n");
        assertThat(outcome.stderr()).isEqualTo("err\n");
    }

    @Test
    void stopsACommandThatRunsPastItsTimeLimit() throws IOException {
        long started = System.nanoTime();

        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sleep", "30")).timeout(Duration.ofMillis(300)).run();

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.succeeded()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void givesAToolThatAsksForInputEndOfFile() throws IOException {
        ExternalCommand.Outcome outcome = ExternalCommand.of(List.of("sh", "-c", "read answer; echo got:$answer"))
                .timeout(Duration.ofSeconds(10)).run();

        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.stdout()).isEqualTo("got:\n");
    }

    @Test
    void saysWhenTheProgramIsNotInstalled() {
        assertThatThrownBy(() -> ExternalCommand.of(List.of("/nonexistent/restic", "version")).run())
                .isInstanceOf(ExternalCommand.NotInstalledException.class);
    }

    @Test
    void keepsOnlyMeaningfulLines() {
        assertThat(ExternalCommand.meaningfulLines("load indexes\n\n[0:00] 100.00%  2 / 2 snapshots\nerror for tree 4897636e:\n",
                Pattern.compile("load indexes"))).containsExactly("error for tree 4897636e:");
    }

    @Test
    void readsTimeLimitsAsPeopleWriteThem() {
        assertThat(ExternalCommand.parseDuration("90 min")).contains(Duration.ofMinutes(90));
        assertThat(ExternalCommand.parseDuration("6h")).contains(Duration.ofHours(6));
        assertThat(ExternalCommand.parseDuration("2 d")).contains(Duration.ofDays(2));
        assertThat(ExternalCommand.parseDuration("soon")).isEmpty();
    }
}
