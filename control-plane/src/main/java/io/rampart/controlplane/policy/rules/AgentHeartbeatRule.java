package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * agent-heartbeat: the practice's agent called in within 10 min, and its computer's clock agrees with the
 * control plane's within 5 min (a wrong clock dates every backup wrongly: AT_RISK until it is put right), and it
 * holds no events the control plane refused as unstorable (evidence nobody has seen: AT_RISK while any are set aside).
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
        List<RuleVerdict> parts = new ArrayList<>(List.of(calledIn));
        evidence.agentClockOffset().filter(offset -> offset.abs().compareTo(MAX_CLOCK_OFFSET) > 0)
                .ifPresent(offset -> parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, clockProblem(offset))));
        if (evidence.setAside().events() > 0) {
            parts.add(new RuleVerdict(ID, PracticeStatus.AT_RISK, setAside(evidence.setAside())));
        }
        return parts.size() == 1 ? calledIn : Verdicts.combine(ID, parts);
    }

    /** "3 events set aside since 29 Nov 06:10: the control plane refused them; ..." */
    static String setAside(SetAsideEvents setAside) {
        return setAside.events() + (setAside.events() == 1 ? " event" : " events") + " set aside"
                + setAside.oldestAt().map(at -> " since " + Texts.dayAndTime(at)).orElse("")
                + ": the control plane refused " + (setAside.events() == 1 ? "it" : "them")
                + " as unstorable; `rampart-agent status` on the practice's server names each and why";
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
