package io.rampart.controlplane.people;

import java.util.Optional;
import java.util.Set;

import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Role;

/**
 * Who may give whom which access: nobody gives anyone more reach than their own. A provider admin gives any role of
 * their provider (admins, technicians, group and practice managers); a group manager gives only practice managers of
 * their group's practices; nobody else gives anything here. Platform operators are never given through Rampart's
 * people pages: the first comes from the installation's configuration (rampart.operator.bootstrap-*), and only
 * whoever runs Keycloak adds more. Whether the target group or practice lies in the caller's tenancy is checked
 * against the database by the resource (404 when it does not). Returns the refusal in words, empty when allowed.
 */
public final class Reach {

    private Reach() {
    }

    /** The roles a caller may give, most powerful first. */
    public static Set<Role> grantable(Caller caller) {
        return switch (caller.role()) {
            case PROVIDER_ADMIN -> Set.of(Role.PROVIDER_ADMIN, Role.PROVIDER_TECHNICIAN, Role.GROUP_MANAGER, Role.PRACTICE_MANAGER);
            case GROUP_MANAGER -> Set.of(Role.PRACTICE_MANAGER);
            default -> Set.of();
        };
    }

    /** Whether the caller may give {@code role} to someone (the reach itself is checked against their tenancy). */
    public static Optional<String> refusalToGive(Caller caller, Role role) {
        if (role == Role.PLATFORM_OPERATOR) {
            return Optional.of("Platform operators are not invited from Rampart: the first comes from the installation's configuration,"
                    + " and whoever runs Keycloak adds others");
        }
        if (!grantable(caller).contains(role)) {
            return Optional.of(switch (caller.role()) {
                case GROUP_MANAGER -> "A group manager may give only the practice manager role, for a practice of their group";
                default -> "A " + caller.role().claimValue() + " may not give the " + role.claimValue() + " role";
            });
        }
        return Optional.empty();
    }

    /**
     * Whether the caller may change, disable, remove or re-invite this person, who is already known to be in the
     * caller's tenancy: never themselves, and a group manager only practice managers.
     */
    public static Optional<String> refusalToManage(Caller caller, Person person) {
        if (caller.subject() != null && caller.subject().equals(person.id())) {
            return Optional.of("You cannot change your own access: ask another administrator of your provider");
        }
        if (person.role() == Role.PLATFORM_OPERATOR) {
            return Optional.of("Platform operators are managed in Keycloak by whoever runs it");
        }
        if (person.role() != null && !grantable(caller).contains(person.role())) {
            return Optional.of("A " + caller.role().claimValue() + " may not change a " + person.role().claimValue());
        }
        if (person.role() == null && caller.role() != Role.PROVIDER_ADMIN) {
            return Optional.of("Only a provider admin may change a person who has no Rampart role");
        }
        return Optional.empty();
    }
}
