package io.rampart.controlplane.people;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.NotPermitted;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeRepository;

/**
 * The people of a provider (for its admins) or of a group (for its managers): listed from Keycloak by their tenancy
 * attributes, invited, given another role or reach, disabled, enabled, removed and re-invited. Nobody gives anyone more
 * reach than their own ({@link Reach}); a group or practice outside the caller's tenancy, and a person outside it, is
 * 404. Every change is audited with the Keycloak user id as its target.
 */
@Path("/api/people")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "People", description = "Who may sign in to Rampart, with which role and reach (kept in Keycloak)")
public class PeopleResource {

    private static final String NAME = "[^\\x00-\\x1F\\x7F<>]*";

    @Inject
    CurrentCaller caller;
    @Inject
    PeopleDirectory directory;
    @Inject
    Invitations invitations;
    @Inject
    PracticeRepository practices;
    @Inject
    AuditLog audit;

    /** Someone to invite: Keycloak emails them a link to set a password; they sign in with the email. */
    public record Invitation(@NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must not contain control characters or < >") String firstName,
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must not contain control characters or < >") String lastName,
            @NotBlank String role, UUID groupId, UUID practiceId) {
    }

    /** A new role and reach: groupId for a group manager, practiceId for a practice manager, neither otherwise. */
    public record AccessChange(@NotBlank String role, UUID groupId, UUID practiceId) {
    }

    /** Where a role reaches: a provider, one of its groups, or one of its practices (with its group). */
    record Target(Role role, UUID providerId, UUID groupId, UUID practiceId) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "The people of the caller's provider (provider admin) or group (group manager), with role and reach")
    public List<PersonView> people() {
        TenantScope scope = caller.get().scope();
        return directory.listIn(scope.providerId(), scope.groupId()).stream().map(PersonView::of).toList();
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Invite a person with a role and reach no wider than the caller's; Keycloak emails them a set-password link")
    public Response invite(@Valid @NotNull Invitation invitation) {
        Caller me = caller.get();
        Target target = target(me, invitation.role(), invitation.groupId(), invitation.practiceId());
        PersonView.Invited invited = invitations.invite(me, new PeopleDirectory.NewPerson(invitation.email().strip(),
                invitation.firstName().strip(), invitation.lastName().strip(), target.role(), target.providerId(), target.groupId(),
                target.practiceId()));
        return Response.status(Response.Status.CREATED).entity(invited).build();
    }

    @PUT
    @Path("/{personId}/access")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Give a person another role or reach, no wider than the caller's own")
    public PersonView changeAccess(@PathParam("personId") String personId, @Valid @NotNull AccessChange change) {
        Caller me = caller.get();
        Person before = manageable(me, personId);
        Target target = target(me, change.role(), change.groupId(), change.practiceId());
        directory.changeAccess(before.id(), target.role(), target.providerId(), target.groupId(), target.practiceId());
        Person after = directory.find(before.id()).orElseThrow(PeopleResource::noSuchPerson);
        audit.record(me, new AuditLog.Change("person.access-changed", "person", before.id(), after.tenancy(),
                PersonView.Audited.of(before), PersonView.Audited.of(after)));
        return PersonView.of(after);
    }

    @POST
    @Path("/{personId}/disable")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Stop a person from signing in, keeping their account (enable undoes it)")
    public PersonView disable(@PathParam("personId") String personId) {
        return setEnabled(personId, false);
    }

    @POST
    @Path("/{personId}/enable")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Let a disabled person sign in again")
    public PersonView enable(@PathParam("personId") String personId) {
        return setEnabled(personId, true);
    }

    @DELETE
    @Path("/{personId}")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Remove a person from Keycloak: they can no longer sign in (the audit keeps what they did)")
    public Response remove(@PathParam("personId") String personId) {
        Caller me = caller.get();
        Person person = manageable(me, personId);
        directory.remove(person.id());
        audit.record(me, new AuditLog.Change("person.removed", "person", person.id(), person.tenancy(), PersonView.Audited.of(person), null));
        return Response.noContent().build();
    }

    @POST
    @Path("/{personId}/invitation")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Have Keycloak send the set-password email again")
    public Response resendInvitation(@PathParam("personId") String personId) {
        Caller me = caller.get();
        Person person = manageable(me, personId);
        invitations.resend(me, person);
        return Response.accepted().entity(PersonView.of(person)).build();
    }

    private PersonView setEnabled(String personId, boolean enabled) {
        Caller me = caller.get();
        Person before = manageable(me, personId);
        directory.setEnabled(before.id(), enabled);
        Person after = directory.find(before.id()).orElseThrow(PeopleResource::noSuchPerson);
        audit.record(me, new AuditLog.Change(enabled ? "person.enabled" : "person.disabled", "person", before.id(), after.tenancy(),
                PersonView.Audited.of(before), PersonView.Audited.of(after)));
        return PersonView.of(after);
    }

    /** The person, when in the caller's tenancy (404 otherwise) and the caller may change them (403 otherwise). */
    private Person manageable(Caller me, String personId) {
        TenantScope scope = me.scope();
        Person person = directory.find(personId)
                .filter(p -> scope.providerId().equals(p.providerId()) && (scope.groupId() == null || scope.groupId().equals(p.groupId())))
                .orElseThrow(PeopleResource::noSuchPerson);
        Reach.refusalToManage(me, person).ifPresent(refusal -> {
            throw new NotPermitted(refusal);
        });
        return person;
    }

    static NotFound noSuchPerson() {
        return new NotFound("No such person, or not one you may see");
    }

    /** The role and reach asked for, checked: a role the caller may give (403), a group or practice in their tenancy (404). */
    private Target target(Caller me, String roleName, UUID groupId, UUID practiceId) {
        Role role = Role.fromClaim(roleName == null ? "" : roleName.strip()).orElseThrow(() -> new InvalidInput("Unknown role " + roleName,
                List.of(new InvalidInput.FieldError("role", "must be one of provider-admin, provider-technician, group-manager, practice-manager"))));
        Reach.refusalToGive(me, role).ifPresent(refusal -> {
            throw new NotPermitted(refusal);
        });
        TenantScope scope = me.scope();
        switch (role) {
            case GROUP_MANAGER -> {
                if (groupId == null || practiceId != null) {
                    throw new InvalidInput("A group manager's reach is one group", List.of(groupId == null
                            ? new InvalidInput.FieldError("groupId", "choose the group this person manages")
                            : new InvalidInput.FieldError("practiceId", "a group manager reaches a whole group, not one practice")));
                }
                PracticeGroup group = PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                        scope.parameters("providerId", "id", null).and("id", groupId)).firstResultOptional().orElseThrow(NotVisible::group);
                if (group.archived()) {
                    throw new InvalidInput("The group is archived", List.of(new InvalidInput.FieldError("groupId",
                            "\"" + group.name + "\" is archived; un-archive it first, or choose a live group")));
                }
                return new Target(role, group.providerId, group.id, null);
            }
            case PRACTICE_MANAGER -> {
                if (practiceId == null) {
                    throw new InvalidInput("A practice manager's reach is one practice",
                            List.of(new InvalidInput.FieldError("practiceId", "choose the practice this person manages")));
                }
                Practice practice = practices.findIn(scope, practiceId).orElseThrow(NotVisible::practice);
                if (practice.decommissioned()) {
                    throw new InvalidInput("The practice is decommissioned", List.of(new InvalidInput.FieldError("practiceId",
                            "\"" + practice.name + "\" was decommissioned; choose a live practice")));
                }
                if (groupId != null && !groupId.equals(practice.groupId)) {
                    throw new InvalidInput("The practice is not in that group",
                            List.of(new InvalidInput.FieldError("groupId", "leave it empty, or give the practice's own group")));
                }
                return new Target(role, practice.providerId, practice.groupId, practice.id);
            }
            default -> {
                if (groupId != null || practiceId != null) {
                    throw new InvalidInput("A " + role.claimValue() + " reaches the whole provider",
                            List.of(new InvalidInput.FieldError(groupId != null ? "groupId" : "practiceId",
                                    "a " + role.claimValue() + " reaches the whole provider: leave it empty")));
                }
                return new Target(role, scope.providerId(), null, null);
            }
        }
    }
}
