package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.evidence;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.pd;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static io.rampart.controlplane.policy.rules.Fixtures.result;
import static io.rampart.controlplane.policy.rules.Fixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.fleet.PracticeStatus;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.CheckStatus;
import io.rampart.protocol.agent.v1.DatabaseSyncObservation;

/** db-sync: lag <= 15 min (grace 1 min 30 s), secondary verified within 24 h (grace 2 h). */
class DbSyncRuleTest {

    private final DbSyncRule rule = new DbSyncRule();

    private static CheckEvidence sync(String checkId, Duration lag, Instant verifiedAt) {
        return evidence(result(checkId, CheckKind.CHECK_KIND_DATABASE_SYNC, CheckStatus.CHECK_STATUS_PASS)
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setEngine("postgresql").setLag(pd(lag))
                        .setVerifiedAt(ts(verifiedAt)).setSecondaryReachable(true)));
    }

    private RuleVerdict evaluate(CheckEvidence... checks) {
        PracticeEvidence evidence = practice();
        for (CheckEvidence check : checks) {
            evidence = evidence.withCheck(check);
        }
        return rule.evaluate(evidence, NOW);
    }

    @Test
    void lagOfExactly15MinutesPasses() {
        assertThat(evaluate(sync("db-sync", Duration.ofMinutes(15), hoursAgo(3))))
                .isEqualTo(new RuleVerdict("db-sync", PracticeStatus.PASS, "database lag 15 min (limit 15 min); secondary database last verified 3 h ago (limit 24 h)"));
    }

    @Test
    void lagOf16MinutesIsAtRiskInsideTheGrace() {
        RuleVerdict verdict = evaluate(sync("db-sync", Duration.ofMinutes(16), hoursAgo(3)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.AT_RISK, "database lag 16 min (limit 15 min)"));
    }

    @Test
    void lagOf17MinutesFails() {
        assertThat(evaluate(sync("db-sync", Duration.ofMinutes(17), hoursAgo(3))).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void verificationExactly24HoursOldPasses() {
        assertThat(evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(24))).status()).isEqualTo(PracticeStatus.PASS);
    }

    @Test
    void verification25HoursOldIsAtRisk() {
        RuleVerdict verdict = evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(25)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.AT_RISK, "secondary database last verified 25 h ago (limit 24 h)"));
    }

    @Test
    void verification27HoursOldFails() {
        assertThat(evaluate(sync("db-sync", Duration.ofSeconds(2), hoursAgo(27))).status()).isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void anUnreachableSecondaryFails() {
        CheckEvidence check = evidence(result("db-sync", CheckKind.CHECK_KIND_DATABASE_SYNC, CheckStatus.CHECK_STATUS_FAIL)
                .setDatabaseSync(DatabaseSyncObservation.newBuilder().setSecondaryReachable(false)));

        assertThat(evaluate(check)).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "the secondary database server is unreachable"));
    }

    @Test
    void clinicalAndFinancialDatabasesAreBothEvidenceAndTheWorstCounts() {
        RuleVerdict verdict = evaluate(sync("db-sync-clinical", Duration.ofMinutes(1), hoursAgo(2)),
                sync("db-sync-financial", Duration.ofMinutes(30), hoursAgo(2)));

        assertThat(verdict).isEqualTo(new RuleVerdict("db-sync", PracticeStatus.FAIL, "database financial lag 30 min (limit 15 min)"));
    }
}
