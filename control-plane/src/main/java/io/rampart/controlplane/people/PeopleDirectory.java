package io.rampart.controlplane.people;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Role;

/**
 * Rampart's people as Keycloak keeps them, through Keycloak's admin client: a person is a Keycloak user with one Rampart
 * realm role and the tenancy attributes provider_id, group_id and practice_id (the rampart-tenancy client scope copies
 * them into tokens). Knows nothing of who asks: PeopleResource and ProviderResource decide what a caller may do.
 *
 * <p>
 * Every method throws {@link PeopleDirectoryUnavailable} when Keycloak cannot be reached, is not configured or refuses
 * the service account; {@link AlreadyRegistered} when the email is taken; {@link NotFound} when the person is
 * gone.
 */
@ApplicationScoped
public class PeopleDirectory {

    private static final Logger LOG = Logger.getLogger(PeopleDirectory.class);
    static final String UPDATE_PASSWORD = "UPDATE_PASSWORD";
    static final String PROVIDER = "provider_id";
    static final String GROUP = "group_id";
    static final String PRACTICE = "practice_id";
    private static final int PAGE = 200;

    @Inject
    KeycloakAdmin keycloak;
    @Inject
    RampartConfig config;

    /** Someone to create: how they sign in (the email, lower-cased, is also the username), their role and reach. */
    public record NewPerson(String email, String firstName, String lastName, Role role, UUID providerId, UUID groupId, UUID practiceId) {
    }

    /**
     * Everyone whose provider_id is {@code providerId}, narrowed to one group when {@code groupId} is given, by name.
     * Keycloak's attribute search finds them; each answer is checked again here, so a looser search never widens it.
     */
    public List<Person> listIn(UUID providerId, UUID groupId) {
        String query = PROVIDER + ":" + providerId + (groupId == null ? "" : " " + GROUP + ":" + groupId);
        List<Person> people = new ArrayList<>();
        for (int first = 0;; first += PAGE) {
            int from = first;
            List<UserRepresentation> page = call("list people", () -> keycloak.realm().users().searchByAttributes(from, PAGE, null, false, query));
            for (UserRepresentation user : page) {
                if (providerId.equals(uuid(user, PROVIDER)) && (groupId == null || groupId.equals(uuid(user, GROUP)))) {
                    people.add(person(user, roleOf(user.getId())));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        people.sort(Comparator.comparing((Person p) -> p.name().toLowerCase()).thenComparing(Person::username));
        return people;
    }

    /** The person with this Keycloak user id, if there is one. */
    public Optional<Person> find(String id) {
        try {
            UserRepresentation user = call("read a person", () -> keycloak.realm().users().get(id).toRepresentation());
            return Optional.of(person(user, roleOf(id)));
        } catch (NotFound gone) {
            return Optional.empty();
        }
    }

    /** The person who signs in with this username, if there is one. */
    public Optional<Person> findByUsername(String username) {
        List<UserRepresentation> users = call("find a person", () -> keycloak.realm().users().searchByUsername(username, true));
        return users.stream().filter(u -> username.equalsIgnoreCase(u.getUsername())).findFirst().map(u -> person(u, roleOf(u.getId())));
    }

    /**
     * Whoever signs in with this email, as username or as email (Keycloak keeps both unique in the realm, case-insensitively),
     * if there is one: the account a refused invitation clashed with.
     */
    public Optional<Person> findByEmail(String email) {
        String address = email.strip().toLowerCase(Locale.ROOT);
        List<UserRepresentation> users = new ArrayList<>(call("find a person", () -> keycloak.realm().users().searchByUsername(address, true)));
        users.addAll(call("find a person", () -> keycloak.realm().users().searchByEmail(address, true)));
        return users.stream().filter(u -> address.equalsIgnoreCase(u.getUsername()) || address.equalsIgnoreCase(u.getEmail())).findFirst()
                .map(u -> person(u, roleOf(u.getId())));
    }

    /**
     * Creates the person with their role and reach, disabled from nothing but without a password: they set one through
     * the invitation ({@link #sendInvitation}). Returns the Keycloak user id. When the role cannot be given, the new
     * user is removed again, so no half-made person stays behind.
     */
    public String create(NewPerson person) {
        return createWithUsername(person.email().toLowerCase(), person);
    }

    /** As {@link #create}, signing in with this username (the bootstrap operator's comes from configuration). */
    public String createWithUsername(String username, NewPerson person) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(person.email());
        user.setFirstName(person.firstName());
        user.setLastName(person.lastName());
        user.setEnabled(true);
        user.setEmailVerified(false);
        user.setRequiredActions(List.of(UPDATE_PASSWORD));
        user.setAttributes(attributes(person.providerId(), person.groupId(), person.practiceId()));
        String id = call("create a person", () -> {
            try (Response response = keycloak.realm().users().create(user)) {
                if (response.getStatus() == 409) {
                    // Keycloak: "User exists with same username" or "... same email"; whose account it is, Invitations decides
                    // the caller may be told
                    throw AlreadyRegistered.emailNotInvitable();
                }
                if (response.getStatus() >= 300) {
                    throw new WebApplicationException(response.getStatus());
                }
                return CreatedResponseUtil.getCreatedId(response);
            }
        });
        try {
            setRole(id, person.role());
        } catch (RuntimeException e) {
            try {
                call("remove a half-made person", () -> {
                    keycloak.realm().users().delete(id).close();
                    return null;
                });
            } catch (RuntimeException cleanup) {
                LOG.errorf("Person %s was created in Keycloak without a role and could not be removed again: remove the user there", id);
            }
            throw e;
        }
        return id;
    }

    /** Gives the person a temporary password Keycloak makes them change at the first sign-in (the bootstrap operator's). */
    public void setTemporaryPassword(String id, String password) {
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(true);
        call("set a temporary password", () -> {
            keycloak.realm().users().get(id).resetPassword(credential);
            return null;
        });
    }

    /** Gives the person exactly this Rampart role (any other Rampart role is taken away) and this reach. */
    public void changeAccess(String id, Role role, UUID providerId, UUID groupId, UUID practiceId) {
        call("change a person's reach", () -> {
            UserResource resource = keycloak.realm().users().get(id);
            UserRepresentation user = resource.toRepresentation();
            Map<String, List<String>> attributes = new HashMap<>(user.getAttributes() == null ? Map.of() : user.getAttributes());
            attributes.remove(PROVIDER);
            attributes.remove(GROUP);
            attributes.remove(PRACTICE);
            attributes.putAll(attributes(providerId, groupId, practiceId));
            user.setAttributes(attributes);
            resource.update(user);
            return null;
        });
        setRole(id, role);
    }

    public void setEnabled(String id, boolean enabled) {
        call(enabled ? "enable a person" : "disable a person", () -> {
            UserResource resource = keycloak.realm().users().get(id);
            UserRepresentation user = resource.toRepresentation();
            user.setEnabled(enabled);
            resource.update(user);
            return null;
        });
    }

    /** Removes the person from Keycloak: they can no longer sign in, and their sessions end. */
    public void remove(String id) {
        call("remove a person", () -> {
            try (Response response = keycloak.realm().users().delete(id)) {
                if (response.getStatus() == 404) {
                    throw new NotFound("No such person, or not one you may see");
                }
                if (response.getStatus() >= 300) {
                    throw new WebApplicationException(response.getStatus());
                }
            }
            return null;
        });
    }

    /**
     * Has Keycloak send its own email with a link to set a password (valid for rampart.people.invitation-validity),
     * after which Keycloak's page leads to the web UI. Nothing of the link passes through Rampart.
     */
    public void sendInvitation(String id) {
        int lifespan = (int) Math.min(Integer.MAX_VALUE, config.people().invitationValidity().toSeconds());
        call("send the set-password email", () -> {
            keycloak.realm().users().get(id).executeActionsEmail(config.web().clientId(), config.people().signInUrl(), lifespan,
                    List.of(UPDATE_PASSWORD));
            return null;
        });
    }

    private void setRole(String id, Role role) {
        call("give a person their role", () -> {
            var realmRoles = keycloak.realm().users().get(id).roles().realmLevel();
            List<RoleRepresentation> current = realmRoles.listAll().stream()
                    .filter(r -> Role.fromClaim(r.getName()).isPresent() && !r.getName().equals(role.claimValue())).toList();
            if (!current.isEmpty()) {
                realmRoles.remove(current);
            }
            if (realmRoles.listAll().stream().noneMatch(r -> r.getName().equals(role.claimValue()))) {
                RoleRepresentation wanted = realmRoles.listAvailable().stream().filter(r -> r.getName().equals(role.claimValue())).findFirst()
                        .orElseThrow(() -> new PeopleDirectoryUnavailable("Keycloak's realm " + config.people().realm() + " has no role "
                                + role.claimValue() + " that the control plane may give: import deploy/keycloak's realm"));
                realmRoles.add(List.of(wanted));
            }
            return null;
        });
    }

    private Role roleOf(String id) {
        Set<String> names = new java.util.HashSet<>();
        call("read a person's role", () -> keycloak.realm().users().get(id).roles().realmLevel().listAll())
                .forEach(r -> names.add(r.getName()));
        for (Role role : Role.values()) {
            if (names.contains(role.claimValue())) {
                return role;
            }
        }
        return null;
    }

    private static Map<String, List<String>> attributes(UUID providerId, UUID groupId, UUID practiceId) {
        Map<String, List<String>> attributes = new HashMap<>();
        if (providerId != null) {
            attributes.put(PROVIDER, List.of(providerId.toString()));
        }
        if (groupId != null) {
            attributes.put(GROUP, List.of(groupId.toString()));
        }
        if (practiceId != null) {
            attributes.put(PRACTICE, List.of(practiceId.toString()));
        }
        return attributes;
    }

    private static Person person(UserRepresentation user, Role role) {
        List<String> actions = user.getRequiredActions() == null ? List.of() : user.getRequiredActions();
        return new Person(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName(), role,
                uuid(user, PROVIDER), uuid(user, GROUP), uuid(user, PRACTICE), Boolean.TRUE.equals(user.isEnabled()),
                actions.contains(UPDATE_PASSWORD), user.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(user.getCreatedTimestamp()));
    }

    private static UUID uuid(UserRepresentation user, String attribute) {
        List<String> values = user.getAttributes() == null ? null : user.getAttributes().get(attribute);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(values.get(0));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * One use of the admin API, its failures in Rampart's terms: Keycloak away or 5xx, and a refused service account,
     * become {@link PeopleDirectoryUnavailable}; 404 a {@link NotFound}; 400 an {@link InvalidInput}; 409 {@link AlreadyRegistered}.
     */
    private <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (AlreadyRegistered | PeopleDirectoryUnavailable known) {
            throw known;
        } catch (ProcessingException e) {
            throw new PeopleDirectoryUnavailable("Keycloak at " + keycloak.serverUrl() + " is not reachable, so Rampart could not "
                    + what + "; nothing was changed. Try again in a minute; if it lasts, whoever runs Rampart should check Keycloak", e);
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            String message = keycloakMessage(e);
            switch (status) {
                case 404 -> throw new NotFound("No such person, or not one you may see");
                case 409 -> throw AlreadyRegistered.emailNotInvitable();
                case 400 -> throw new InvalidInput("Keycloak refused to " + what + ": " + message, List.of());
                case 401 -> throw new PeopleDirectoryUnavailable("Keycloak refused the control plane's sign-in as client "
                        + config.people().clientId() + ", so Rampart could not " + what + "; whoever runs Rampart should check"
                        + " RAMPART_PEOPLE_CLIENT_SECRET against the client's secret in Keycloak", e);
                case 403 -> throw new PeopleDirectoryUnavailable("Keycloak does not allow the control plane's service account to " + what
                        + "; whoever runs Rampart should give client " + config.people().clientId()
                        + " realm-management's manage-users, view-users and query-users", e);
                default -> throw new PeopleDirectoryUnavailable("Keycloak answered " + status + " when Rampart tried to " + what
                        + (message.isEmpty() ? "" : " (" + message + ")") + "; try again in a minute", e);
            }
        }
    }

    private static String keycloakMessage(WebApplicationException e) {
        try {
            if (e.getResponse() != null && e.getResponse().hasEntity()) {
                String body = e.getResponse().readEntity(String.class);
                return body == null ? "" : body.length() > 300 ? body.substring(0, 300) : body;
            }
        } catch (RuntimeException unreadable) {
            // the message is only a help
        }
        return "";
    }
}
