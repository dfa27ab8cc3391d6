package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestObservation;

/**
 * restore-test: each test restore (checks "restore-test", "restore-test-nas", ...) succeeded within
 * 7 days, verified something, and took at most 15 min (the downtime objective, no grace).
 */
public final class RestoreTestRule extends AbstractRule {

    public static final String ID = "restore-test";

    private final Thresholds.RestoreTest thresholds;
    private final List<String> checkIds;

    public RestoreTestRule() {
        this(Thresholds.RestoreTest.DEFAULT);
    }

    public RestoreTestRule(Thresholds.RestoreTest thresholds) {
        this(thresholds, List.of(ID));
    }

    public RestoreTestRule(Thresholds.RestoreTest thresholds, List<String> checkIds) {
        super(ID);
        this.thresholds = thresholds;
        this.checkIds = List.copyOf(checkIds);
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        List<RuleVerdict> parts = new ArrayList<>();
        for (CheckEvidence check : evidence.checks(checkIds)) {
            RestoreTestObservation restore = check.result().getRestoreTest();
            String of = restore.getSourceCheckId().isEmpty() ? "" : " of " + restore.getSourceCheckId();
            CheckStatus status = check.status();
            if (check.failedToRun()) {
                // nothing was restored, so nothing failed: the agent's summary says what is missing
                parts.add(RuleVerdict.fail(ID, "the test restore" + of + " could not run: " + check.result().getSummary()));
                continue;
            }
            if (status != CheckStatus.CHECK_STATUS_PASS && status != CheckStatus.CHECK_STATUS_WARN) {
                parts.add(RuleVerdict.fail(ID, "the last test restore" + of + " failed: " + check.result().getSummary()));
                continue;
            }
            if (restore.getFilesVerified() == 0 && restore.getBytesVerified() == 0 && restore.getVerification().isEmpty()) {
                parts.add(RuleVerdict.fail(ID, "the last test restore" + of + " verified nothing"));
                continue;
            }
            Duration age = Duration.between(check.observedAt(), now);
            parts.add(new RuleVerdict(ID, Verdicts.grade(age, thresholds.maxAge(), thresholds.grace()),
                    "last successful test restore" + of + " " + Texts.span(age) + " ago (limit " + Texts.span(thresholds.maxAge()) + ")"));
            Duration took = Texts.duration(restore.getRestoreDuration());
            parts.add(new RuleVerdict(ID, Verdicts.grade(took, thresholds.maxRestoreTime(), Duration.ZERO),
                    "restore" + of + " took " + Texts.span(took) + " (objective " + Texts.span(thresholds.maxRestoreTime()) + ")"));
        }
        return Verdicts.combine(ID, parts);
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
