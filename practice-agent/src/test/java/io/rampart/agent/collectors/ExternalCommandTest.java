package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ExternalCommandTest {

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
