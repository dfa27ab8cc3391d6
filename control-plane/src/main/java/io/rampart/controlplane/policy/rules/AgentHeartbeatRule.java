package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.rampart.controlplane.fleet.PracticeStatus;

/**
 * agent-heartbeat: the practice's agent called in within 10 min, and its computer's clock agrees with the
 * control plane's within 5 min (a wrong clock dates every backup wrongly: AT_RISK until it is put right).
 */
public final class AgentHeartbeatRule extends AbstractRule {

    public static final String ID = "agent-heartbeat";
    /** More than this between the agent's clock and the control plane's is a clock problem worth a person's time. */
    public static final Duration MAX_CLOCK_OFFSET = Duration.ofMinutes(5);

    private final Thresholds.Heartbeat thresholds;

    public AgentHeartbeatRule() {
        this(Thresholds.Heartbeat.DEFAULT);
    }

    public AgentHeartbeatRule(Thresholds.Heartbeat thresholds) {
        super(ID);
        this.thresholds = thresholds;
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        if (evidence.lastHeartbeat().isEmpty()) {
            return RuleVerdict.noData(ID);
        }
        Duration silence = Duration.between(evidence.lastHeartbeat().get(), now);
        RuleVerdict calledIn = new RuleVerdict(ID, Verdicts.grade(silence, thresholds.maxSilence(), thresholds.grace()),
                "the agent last called in " + Texts.span(silence) + " ago (limit " + Texts.span(thresholds.maxSilence()) + ")");
        return evidence.agentClockOffset().filter(offset -> offset.abs().compareTo(MAX_CLOCK_OFFSET) > 0)
                .map(offset -> Verdicts.combine(ID, List.of(calledIn, new RuleVerdict(ID, PracticeStatus.AT_RISK, clockProblem(offset)))))
                .orElse(calledIn);
    }

    /** "the agent's computer's clock is 3 h ahead of the control plane's: ..." */
    static String clockProblem(Duration offset) {
        return "the agent's computer's clock is " + Texts.span(offset.abs()) + (offset.isNegative() ? " behind" : " ahead of")
                + " the control plane's: the ages of its backups are measured wrong; set its time from NTP";
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
