package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * What every rule does around its own assessment: a rule that no configured check can serve is a configuration gap
 * ({@link CheckCoverage}), whatever old evidence of a check since removed says, and stays one (UNKNOWN, never FAIL by
 * itself: it is the provider's configuration to fix, not a backup that failed, so nobody at the practice is emailed
 * for it, and moving practices into a group with a smaller check set opens no alert per rule); a rule without
 * evidence is UNKNOWN until {@code noDataGrace} after onboarding, then FAIL; an active {@link PolicyException} turns
 * any verdict but PASS into PASS (an expired one has no effect), e.g. "this practice has no UPS".
 */
abstract class AbstractRule implements Rule {

    private final String id;

    AbstractRule(String id) {
        this.id = id;
    }

    @Override
    public final String id() {
        return id;
    }

    /** The rule's own verdict on the evidence; UNKNOWN when there is none. */
    protected abstract RuleVerdict assess(PracticeEvidence evidence, Instant now);

    protected abstract Duration noDataGrace();

    @Override
    public final RuleVerdict evaluate(PracticeEvidence evidence, Instant now) {
        boolean gap = evidence.configuredChecks().isPresent() && CheckCoverage.isGap(id, evidence.configuredChecks().get());
        // not "no data yet": no data will ever come until a person adds a check
        RuleVerdict verdict = gap ? RuleVerdict.configurationGap(id) : assess(evidence, now);
        if (verdict.status() == PracticeStatus.UNKNOWN && !verdict.configurationGap()) {
            Duration sinceOnboarding = Duration.between(evidence.onboardedAt(), now);
            if (sinceOnboarding.compareTo(noDataGrace()) > 0) {
                String reason = verdict.reason().equals("no data yet")
                        ? "no evidence for " + Texts.span(sinceOnboarding) + " since onboarding"
                        : verdict.reason() + " (" + Texts.span(sinceOnboarding) + " since onboarding)";
                verdict = new RuleVerdict(id, PracticeStatus.FAIL, reason, verdict.configurationGap());
            }
        }
        if (verdict.status() != PracticeStatus.PASS) {
            Optional<PolicyException> exception = evidence.activeException(id, now);
            if (exception.isPresent()) {
                PolicyException e = exception.get();
                verdict = RuleVerdict.pass(id, "exception until " + Texts.date(e.until()) + " by " + e.approvedBy() + ": " + e.reason());
            }
        }
        return verdict;
    }
}
