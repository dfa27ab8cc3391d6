package io.rampart.controlplane.people;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * A person as the People page shows them: role (claim value, null without a Rampart role) and reach, with the names of
 * their group and practice. {@code invitationPending}: they have not set a password yet.
 */
public record PersonView(String id, String username, @Schema(nullable = true) String email, @Schema(nullable = true) String firstName,
        @Schema(nullable = true) String lastName, String name,
        @Schema(nullable = true, enumeration = {
                Role.OPERATOR, Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE }) String role,
        @Schema(nullable = true) UUID providerId, @Schema(nullable = true) UUID groupId, @Schema(nullable = true) String groupName,
        @Schema(nullable = true) UUID practiceId, @Schema(nullable = true) String practiceName, boolean enabled,
        boolean invitationPending){

    /** Reads the group's and practice's names (ids the caller may already see). */
    public static PersonView of(Person person) {
        PracticeGroup group = person.groupId() == null ? null : PracticeGroup.findById(person.groupId());
        Practice practice = person.practiceId() == null ? null : Practice.findById(person.practiceId());
        return new PersonView(person.id(), person.username(), person.email(), person.firstName(), person.lastName(), person.name(),
                person.role() == null ? null : person.role().claimValue(), person.providerId(), person.groupId(),
                group == null ? null : group.name, person.practiceId(), practice == null ? null : practice.name, person.enabled(),
                person.invitationPending());
    }

    /** What the audit keeps of a person: who and what access, never a password or a link. */
    public record Audited(String username, String email, String name, String role, UUID groupId, UUID practiceId, boolean enabled) {
        public static Audited of(Person person) {
            return new Audited(person.username(), person.email(), person.name(), person.role() == null ? null : person.role().claimValue(),
                    person.groupId(), person.practiceId(), person.enabled());
        }
    }

    /** The answer to an invitation: the person, and whether Keycloak sent the set-password email (and if not, why). */
    public record Invited(PersonView person, boolean invitationSent, String invitationProblem) {
    }
}
