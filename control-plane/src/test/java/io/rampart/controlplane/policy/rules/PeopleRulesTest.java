package io.rampart.controlplane.policy.rules;

import static io.rampart.controlplane.policy.rules.Fixtures.NOW;
import static io.rampart.controlplane.policy.rules.Fixtures.ago;
import static io.rampart.controlplane.policy.rules.Fixtures.daysAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.hoursAgo;
import static io.rampart.controlplane.policy.rules.Fixtures.onboarded;
import static io.rampart.controlplane.policy.rules.Fixtures.practice;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.PracticeStatus;

/** plan-review (365 days, grace 2 h), contacts (grace 1 day after onboarding), agent-heartbeat (10 min, grace 1 min). */
class PeopleRulesTest {

    private final PlanReviewRule planReview = new PlanReviewRule();
    private final ContactsRule contacts = new ContactsRule();
    private final AgentHeartbeatRule heartbeat = new AgentHeartbeatRule();

    @Test
    void aPlanReviewedExactly12MonthsAgoPasses() {
        assertThat(planReview.evaluate(practice().withPlanReview(new PlanReview("Dr Jones", daysAgo(365))), NOW))
                .isEqualTo(new RuleVerdict("plan-review", PracticeStatus.PASS,
                        "backup plan last reviewed by Dr Jones on 26 Nov 2025, 365 days ago (limit 365 days)"));
    }

    @Test
    void aPlanReviewedJustOver12MonthsAgoIsAtRisk() {
        assertThat(planReview.evaluate(practice().withPlanReview(new PlanReview("Dr Jones", ago(Duration.ofDays(365).plusHours(1)))), NOW).status())
                .isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void aPlanReviewed13MonthsAgoFails() {
        assertThat(planReview.evaluate(practice().withPlanReview(new PlanReview("Dr Jones", daysAgo(396))), NOW).status())
                .isEqualTo(PracticeStatus.FAIL);
    }

    @Test
    void anITContactAndThePracticeManagerPass() {
        assertThat(contacts.evaluate(practice().withContacts(new Contacts(1, 1)), NOW))
                .isEqualTo(new RuleVerdict("contacts", PracticeStatus.PASS, "failure emails reach 1 IT contact and the practice manager"));
    }

    @Test
    void noPracticeManagerFails() {
        assertThat(contacts.evaluate(practice().withContacts(new Contacts(2, 0)), NOW))
                .isEqualTo(new RuleVerdict("contacts", PracticeStatus.FAIL, "failure emails do not reach the practice manager"));
    }

    @Test
    void noContactsAtAllFails() {
        assertThat(contacts.evaluate(practice().withContacts(new Contacts(0, 0)), NOW).reason())
                .isEqualTo("failure emails do not reach an IT contact or the practice manager");
    }

    @Test
    void missingContactsOnTheDayOfOnboardingAreAtRisk() {
        assertThat(contacts.evaluate(onboarded(hoursAgo(23)).withContacts(new Contacts(1, 0)), NOW).status()).isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void anAgentThatCalledInExactly10MinutesAgoPasses() {
        assertThat(heartbeat.evaluate(practice().withHeartbeat(ago(Duration.ofMinutes(10))), NOW))
                .isEqualTo(new RuleVerdict("agent-heartbeat", PracticeStatus.PASS, "the agent last called in 10 min ago (limit 10 min)"));
    }

    @Test
    void anAgentSilentFor10MinutesAnd30SecondsIsAtRisk() {
        assertThat(heartbeat.evaluate(practice().withHeartbeat(ago(Duration.ofSeconds(630))), NOW).status()).isEqualTo(PracticeStatus.AT_RISK);
    }

    @Test
    void anAgentSilentFor2HoursFails() {
        assertThat(heartbeat.evaluate(practice().withHeartbeat(hoursAgo(2)), NOW))
                .isEqualTo(new RuleVerdict("agent-heartbeat", PracticeStatus.FAIL, "the agent last called in 2 h ago (limit 10 min)"));
    }

    @Test
    void noHeartbeat3DaysAfterOnboardingFailsSayingSo() {
        assertThat(heartbeat.evaluate(onboarded(daysAgo(3)), NOW).reason()).isEqualTo("no evidence for 3 days since onboarding");
    }
}
