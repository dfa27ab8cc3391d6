package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;

/** agent-heartbeat: the practice's agent called in within 10 min. */
public final class AgentHeartbeatRule extends AbstractRule {

    public static final String ID = "agent-heartbeat";

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
        return new RuleVerdict(ID, Verdicts.grade(silence, thresholds.maxSilence(), thresholds.grace()),
                "the agent last called in " + Texts.span(silence) + " ago (limit " + Texts.span(thresholds.maxSilence()) + ")");
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
