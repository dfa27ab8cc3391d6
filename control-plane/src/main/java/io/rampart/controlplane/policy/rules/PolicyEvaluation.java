package io.rampart.controlplane.policy.rules;

import java.time.Instant;
import java.util.List;

import io.rampart.controlplane.shared.PracticeStatus;

/** Every rule's verdict for one practice, and the practice's overall status: the worst verdict. */
public record PolicyEvaluation(PracticeStatus status, List<RuleVerdict> verdicts) {

    public PolicyEvaluation {
        verdicts = List.copyOf(verdicts);
    }

    public static PolicyEvaluation evaluate(List<? extends Rule> rules, PracticeEvidence evidence, Instant now) {
        List<RuleVerdict> verdicts = rules.stream().map(rule -> rule.evaluate(evidence, now)).toList();
        PracticeStatus worst = verdicts.stream().map(RuleVerdict::status).reduce(PracticeStatus.PASS, PracticeStatus::worse);
        return new PolicyEvaluation(worst, verdicts);
    }

    /** The verdicts that are not PASS, worst first (in rule order within a status). */
    public List<RuleVerdict> problems() {
        return verdicts.stream().filter(v -> v.status() != PracticeStatus.PASS)
                .sorted((a, b) -> b.status().compareTo(a.status())).toList();
    }
}
