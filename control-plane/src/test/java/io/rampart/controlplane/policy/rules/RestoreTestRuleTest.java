package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.pd;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.RestoreTestObservation;

/** restore-test: succeeded within 7 days (grace 2 h), restore time <= 15 min (no grace). */
class RestoreTestRuleTest {

    private final RestoreTestRule rule = new RestoreTestRule();

    private static CheckEvidence restore(CheckStatus status, Instant at, Duration took) {
        return evidence(result("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST, status)
                .setRestoreTest(RestoreTestObservation.newBuilder().setSourceCheckId("nas-copy").setMethod("folder-copy")
                        .setFilesVerified(120).setBytesVerified(5_000_000).setRestoreDuration(pd(took))),
                at);
    }

    private RuleVerdict evaluate(CheckEvidence check) {
        return rule.evaluate(practice().withCheck(check), NOW);
    }

    @Test
    void aTestRestoreExactly7DaysAgoTaking15MinutesPasses() {
        assertThat(evaluate(restore(CheckStatus.CHECK_STATUS_PASS, daysAgo(7), Duration.ofMinutes(15))))
                .isEqualTo(new RuleVerdict("restore-test", PracticeStatus.PASS,
                        "last successful test restore of nas-copy 7 days ago (limit 7 days); restore of nas-copy took 15 min (objective 15 min)"));
    }

    @Test
    void aTestRestoreJustOver7DaysAgoIsAtRisk() {
        assertThat(evaluate(restore(CheckStatus.CHECK_STATUS_PASS, ago(Duration.ofDays(7).plusHours(1)), Duration.ofMinutes(3))).status())
                .isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void aTestRestore8DaysAgoFails() {
        assertThat(evaluate(restore(CheckStatus.CHECK_STATUS_PASS, daysAgo(8), Duration.ofMinutes(3))))
                .isEqualTo(new RuleVerdict("restore-test", PracticeStatus.FAIL, "last successful test restore of nas-copy 8 days ago (limit 7 days)"));
    }

    @Test
    void aPassingTestRestoreTaking17MinutesFailsTheDowntimeObjective() {
        assertThat(evaluate(restore(CheckStatus.CHECK_STATUS_PASS, daysAgo(1), Duration.ofMinutes(17))))
                .isEqualTo(new RuleVerdict("restore-test", PracticeStatus.FAIL, "restore of nas-copy took 17 min (objective 15 min)"));
    }

    @Test
    void aFailedTestRestoreFailsWithTheAgentsSummary() {
        CheckEvidence failed = evidence(result("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST, CheckStatus.CHECK_STATUS_FAIL)
                .setSummary("checksum mismatch in a.bak").setRestoreTest(RestoreTestObservation.newBuilder().setSourceCheckId("nas-copy")));

        assertThat(evaluate(failed)).isEqualTo(new RuleVerdict("restore-test", PracticeStatus.FAIL,
                "the last test restore of nas-copy failed: checksum mismatch in a.bak"));
    }

    @Test
    void aTestRestoreThatCouldNotRunFailsSayingSoNotThatARestoreFailed() {
        CheckEvidence notRun = evidence(result("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST, CheckStatus.CHECK_STATUS_ERROR)
                .setSummary("this computer does not know where the backups of check cloud-copy are, so it cannot restore them"));

        assertThat(evaluate(notRun)).isEqualTo(new RuleVerdict("restore-test", PracticeStatus.FAIL,
                "the test restore could not run: this computer does not know where the backups of check cloud-copy are, so it cannot restore them"));
    }

    @Test
    void aTestRestoreThatVerifiedNothingFails() {
        CheckEvidence empty = evidence(result("restore-test", CheckKind.CHECK_KIND_RESTORE_TEST, CheckStatus.CHECK_STATUS_PASS)
                .setRestoreTest(RestoreTestObservation.newBuilder().setSourceCheckId("nas-copy")));

        assertThat(evaluate(empty).reason()).isEqualTo("the last test restore of nas-copy verified nothing");
    }
}
