package io.rampart.controlplane.policy.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rampart.controlplane.shared.PracticeStatus;

/**
 * contacts: failure emails reach at least one IT contact and the practice manager. Missing
 * contacts are AT_RISK during the grace after onboarding, then FAIL.
 */
public final class ContactsRule extends AbstractRule {

    public static final String ID = "contacts";

    private final Thresholds.ContactsRequired thresholds;

    public ContactsRule() {
        this(Thresholds.ContactsRequired.DEFAULT);
    }

    public ContactsRule(Thresholds.ContactsRequired thresholds) {
        super(ID);
        this.thresholds = thresholds;
    }

    @Override
    protected RuleVerdict assess(PracticeEvidence evidence, Instant now) {
        if (evidence.contacts().isEmpty()) {
            return RuleVerdict.noData(ID);
        }
        Contacts contacts = evidence.contacts().get();
        List<String> missing = new ArrayList<>();
        if (contacts.itContacts() < thresholds.minItContacts()) {
            missing.add(thresholds.minItContacts() == 1 ? "an IT contact" : thresholds.minItContacts() + " IT contacts");
        }
        if (contacts.practiceManagers() < thresholds.minPracticeManagers()) {
            missing.add("the practice manager");
        }
        if (missing.isEmpty()) {
            return RuleVerdict.pass(ID, "failure emails reach " + contacts.itContacts() + " IT contact" + (contacts.itContacts() == 1 ? "" : "s")
                    + " and the practice manager");
        }
        boolean inGrace = Duration.between(evidence.onboardedAt(), now).compareTo(thresholds.grace()) <= 0;
        return new RuleVerdict(ID, inGrace ? PracticeStatus.AT_RISK : PracticeStatus.FAIL,
                "failure emails do not reach " + String.join(" or ", missing));
    }

    @Override
    protected Duration noDataGrace() {
        return thresholds.noDataGrace();
    }
}
