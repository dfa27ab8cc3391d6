package io.rampart.controlplane.pings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.agents.EventBatchValidator;
import io.rampart.protocol.ProtoTime;
import io.rampart.protocol.agent.v1.AgentEvent;
import io.rampart.protocol.agent.v1.CheckStatus;

/** How pings fold into a URL's state and the check result it is, without a server. */
class PingRunsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T02:30:00Z");

    @Test
    void aLongLogKeepsItsLastLinesWhereTheErrorIsAndTextThatIsNotUtf8IsReadable() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            log.append("line ").append(i).append('\n');
        }
        log.append("Command 'borg prune' returned non-zero exit status 2.\n\n");
        String excerpt = PingRuns.excerpt(log.toString().getBytes(StandardCharsets.UTF_8), 200);

        assertThat(excerpt).startsWith("...\nline ").endsWith("line 500\nCommand 'borg prune' returned non-zero exit status 2.").hasSizeLessThanOrEqualTo(200);
        assertThat(PingRuns.excerpt(new byte[] { 'o', 'k', (byte) 0xe9, '\r', '\n', 0x07, 'x' }, 200)).isEqualTo("ok\uFFFD\nx");
    }

    @Test
    void aFailAfterAStartIsAFailedRunWithItsDurationExitStatusAndLog() {
        PingUrl url = url();
        PingRuns.apply(url, new PingRuns.Ping(PingRuns.Action.START, null, null, new byte[0], T0), 2000);
        assertThat(PingRuns.result(url, Duration.ofHours(3)).getJobReport().hasStartedAt()).isTrue();
        PingRuns.apply(url, new PingRuns.Ping(PingRuns.Action.FAIL, 2, null, "Repository /srv/x does not exist.\n".getBytes(StandardCharsets.UTF_8),
                T0.plusSeconds(95)), 2000);

        var result = PingRuns.result(url, Duration.ofHours(3));
        assertThat(result.getStatus()).isEqualTo(CheckStatus.CHECK_STATUS_FAIL);
        assertThat(result.getJobReport().hasStartedAt()).isFalse();
        assertThat(result.getJobReport().getExitStatus()).isEqualTo(2);
        assertThat(result.getJobReport().getMessage()).isEqualTo("exit status 2, log:\nRepository /srv/x does not exist.");
        assertThat(result.getSummary()).isEqualTo("ping: failed at 30 Nov 02:31:35 UTC (exit status 2), 95 s after its start");
    }

    @Test
    void aLogCutInsideAnEmojiKeepsWholeCharactersAndTheResultPassesTheAgentEventRules() {
        // emoji (surrogate pairs) and no newline: with an odd limit the cut at maxChars - 4 falls inside a pair
        String log = "x" + "\uD83D\uDCBE".repeat(1500);
        PingUrl url = url();
        PingRuns.apply(url, new PingRuns.Ping(PingRuns.Action.FAIL, 1, null, log.getBytes(StandardCharsets.UTF_8), T0), 2001);
        var result = PingRuns.result(url, Duration.ofHours(6));
        AgentEvent event = AgentEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setPracticeId(UUID.randomUUID().toString())
                .setOccurredAt(ProtoTime.timestamp(T0)).setCheckResult(result).build();

        assertThat(url.lastMessage).startsWith("...\n\uD83D\uDCBE").hasSizeLessThanOrEqualTo(2001);
        assertThat(EventBatchValidator.problemsOf(event, T0)).isEmpty();
    }

    private static PingUrl url() {
        PingUrl url = new PingUrl();
        url.id = UUID.randomUUID();
        url.pingId = UUID.randomUUID();
        url.checkId = "cloud-copy";
        return url;
    }
}
