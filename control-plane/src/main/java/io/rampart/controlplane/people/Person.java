package io.rampart.controlplane.people;

import java.time.Instant;
import java.util.UUID;

import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.Tenancy;

/**
 * A person as Keycloak knows them: the Keycloak user id, how they sign in, their Rampart role (null when they hold
 * none) and their reach (the tenancy attributes provider_id, group_id, practice_id; all null for an operator).
 * {@code invitationPending}: they have not set a password yet (Keycloak still requires UPDATE_PASSWORD).
 */
public record Person(String id, String username, String email, String firstName, String lastName, Role role, UUID providerId,
        UUID groupId, UUID practiceId, boolean enabled, boolean invitationPending, Instant createdAt) {

    public Tenancy tenancy() {
        return new Tenancy(providerId, groupId, practiceId);
    }

    public String name() {
        String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
        return name.isEmpty() ? username : name;
    }
}
