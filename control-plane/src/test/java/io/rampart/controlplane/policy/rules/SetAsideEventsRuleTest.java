package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;

/** Events an agent holds aside because the control plane refused them are evidence nobody has seen: the heartbeat is at risk. */
class SetAsideEventsRuleTest {

    private final AgentHeartbeatRule heartbeat = new AgentHeartbeatRule();

    @Test
    void anAgentHoldingEventsTheControlPlaneRefusedPutsTheHeartbeatAtRiskAndSaysSinceWhen() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofMinutes(1)))
                .withSetAside(new SetAsideEvents(3, Optional.of(Instant.parse("2026-11-25T06:10:00Z"))));

        RuleVerdict verdict = heartbeat.evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.AT_RISK);
        assertThat(verdict.reason()).isEqualTo("3 events set aside since 25 Nov 06:10: the control plane refused them as unstorable; "
                + "`rampart-agent status` on the practice's server names each and why");
    }

    @Test
    void oneEventWithoutADateIsStillSaid() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofMinutes(1))).withSetAside(new SetAsideEvents(1, Optional.empty()));

        assertThat(heartbeat.evaluate(evidence, NOW).reason()).startsWith("1 event set aside: the control plane refused it as unstorable");
    }

    @Test
    void aSilentAgentFailsAndItsEventsSetAsideAreSaidToo() {
        PracticeEvidence evidence = practice().withHeartbeat(ago(Duration.ofHours(2)))
                .withSetAside(new SetAsideEvents(2, Optional.of(Instant.parse("2026-11-26T10:00:00Z"))))
                .withAgentClockOffset(Duration.ofHours(1));

        RuleVerdict verdict = heartbeat.evaluate(evidence, NOW);

        assertThat(verdict.status()).isEqualTo(PracticeStatus.FAIL);
        assertThat(verdict.reason()).startsWith("the agent last called in 2 h ago (limit 10 min); the agent's computer's clock is 1 h ahead")
                .contains("; 2 events set aside since 26 Nov 10:00");
    }

    @Test
    void noEventsSetAsideOrAnOldAgentThatNeverSaysIsNothing() {
        assertThat(heartbeat.evaluate(practice().withHeartbeat(ago(Duration.ofMinutes(1))), NOW).status()).isEqualTo(PracticeStatus.PASS);
        assertThat(heartbeat.evaluate(practice().withHeartbeat(ago(Duration.ofMinutes(1))).withSetAside(SetAsideEvents.NONE), NOW).status())
                .isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void severalAgentsAddUpAndTheOldestCounts() {
        SetAsideEvents both = new SetAsideEvents(2, Optional.of(Instant.parse("2026-11-25T00:00:00Z")))
                .plus(new SetAsideEvents(1, Optional.of(Instant.parse("2026-11-20T00:00:00Z"))))
                .plus(new SetAsideEvents(4, Optional.empty()));
        assertThat(both).isEqualTo(new SetAsideEvents(7, Optional.of(Instant.parse("2026-11-20T00:00:00Z"))));
    }
}
