package io.rampart.controlplane.policy.rules;

/** Who receives the practice's failure emails, counted. */
public record Contacts(int itContacts, int practiceManagers) {
}
