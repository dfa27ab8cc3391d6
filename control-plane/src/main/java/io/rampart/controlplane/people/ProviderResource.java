package io.rampart.controlplane.people;

import java.time.Instant;
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

import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.Provider;

/**
 * The platform operator's work: the providers of this installation and each provider's admins (the first one invited
 * here; the admins then invite everyone else). An operator sees providers' names and their admins, never a provider's
 * fleet, alerts or reports: those endpoints do not admit the role.
 */
@Path("/api/operator/providers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Operator", description = "Providers of this installation and their first admins (platform operators only)")
public class ProviderResource {

    private static final String NAME = "[^\\x00-\\x1F\\x7F<>]*";

    @Inject
    CurrentCaller caller;
    @Inject
    Providers providers;
    @Inject
    PeopleDirectory directory;
    @Inject
    Invitations invitations;

    public record ProviderView(UUID id, String name, Instant createdAt) {
        static ProviderView of(Provider provider) {
            return new ProviderView(provider.id, provider.name, provider.createdAt);
        }
    }

    public record ProviderName(@NotBlank @Size(max = 200) @Pattern(regexp = NAME, message = "must not contain control characters or < >") String name) {
    }

    /** A provider's admin to invite: Keycloak emails them a set-password link; they sign in with the email. */
    public record NewAdmin(@NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must not contain control characters or < >") String firstName,
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME, message = "must not contain control characters or < >") String lastName) {
    }

    @GET
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Every provider of this installation, by name")
    public List<ProviderView> providers() {
        return Provider.<Provider> listAll(Sort.by("name")).stream().map(ProviderView::of).toList();
    }

    @POST
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Create a provider (then invite its first admin)")
    public Response create(@Valid @NotNull ProviderName request) {
        Provider provider = providers.create(caller.get(), request.name());
        return Response.status(Response.Status.CREATED).entity(ProviderView.of(provider)).build();
    }

    @PUT
    @Path("/{providerId}")
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Rename a provider")
    public ProviderView rename(@PathParam("providerId") UUID providerId, @Valid @NotNull ProviderName request) {
        return ProviderView.of(providers.rename(caller.get(), providerId, request.name()));
    }

    @GET
    @Path("/{providerId}/admins")
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "A provider's admins (from Keycloak), and whether each has set a password yet")
    public List<PersonView> admins(@PathParam("providerId") UUID providerId) {
        Provider provider = Providers.existing(providerId);
        return directory.listIn(provider.id, null).stream().filter(p -> p.role() == Role.PROVIDER_ADMIN).map(PersonView::of).toList();
    }

    @POST
    @Path("/{providerId}/admins")
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Invite an admin of a provider: a Keycloak user with role provider-admin, sent the set-password email")
    public Response inviteAdmin(@PathParam("providerId") UUID providerId, @Valid @NotNull NewAdmin request) {
        Provider provider = Providers.existing(providerId);
        Caller me = caller.get();
        PersonView.Invited invited = invitations.invite(me, new PeopleDirectory.NewPerson(request.email().strip(), request.firstName().strip(),
                request.lastName().strip(), Role.PROVIDER_ADMIN, provider.id, null, null));
        return Response.status(Response.Status.CREATED).entity(invited).build();
    }

    @POST
    @Path("/{providerId}/admins/{personId}/invitation")
    @RolesAllowed(Role.OPERATOR)
    @Transactional
    @Operation(summary = "Have Keycloak send a provider admin's set-password email again")
    public Response resendInvitation(@PathParam("providerId") UUID providerId, @PathParam("personId") String personId) {
        Provider provider = Providers.existing(providerId);
        Person admin = directory.find(personId).filter(p -> provider.id.equals(p.providerId()) && p.role() == Role.PROVIDER_ADMIN)
                .orElseThrow(PeopleResource::noSuchPerson);
        invitations.resend(caller.get(), admin);
        return Response.accepted().entity(PersonView.of(admin)).build();
    }
}
