package io.rampart.controlplane.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;

/** The practices of the caller's scope, and a provider admin's changes to them (see {@link PracticeLifecycle}). */
// rooted at /api like FleetResource: a root of /api/practices would hide its GET /api/practices/{id} (JAX-RS picks one root class)
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Practices", description = "Practices: list, rename, move to another group, decommission")
public class PracticeResource {

    @Inject
    CurrentCaller caller;
    @Inject
    PracticeRepository repository;
    @Inject
    PracticeLifecycle practices;

    /** A practice; decommissionedAt, decommissionedBy (a username) and decommissionReason are null while it is live. */
    public record PracticeView(UUID id, UUID groupId, UUID providerId, String name, Instant createdAt, Instant decommissionedAt,
            String decommissionedBy, String decommissionReason) {
        static PracticeView of(Practice p) {
            return new PracticeView(p.id, p.groupId, p.providerId, p.name, p.createdAt, p.decommissionedAt, p.decommissionedBy,
                    p.decommissionReason);
        }
    }

    public record Rename(String name) {
    }

    public record Move(String groupId) {
    }

    /** Why (optional, at most 500 characters): kept with the practice and in the audit log. */
    public record Decommission(String reason) {
    }

    @GET
    @Path("/practices")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The practices the caller may see, by name; decommissioned ones only with includeDecommissioned=true")
    public List<PracticeView> list(@QueryParam("includeDecommissioned") @DefaultValue("false") boolean includeDecommissioned) {
        TenantScope scope = caller.get().scope();
        return (includeDecommissioned ? repository.listAllIn(scope) : repository.listIn(scope)).stream().map(PracticeView::of).toList();
    }

    @PUT
    @Path("/practices/{practiceId}/name")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Rename a practice")
    @APIResponse(responseCode = "409", description = "The practice is decommissioned")
    public PracticeView rename(@PathParam("practiceId") UUID practiceId, @NotNull Rename request) {
        return PracticeView.of(practices.rename(caller.get(), practiceId, request.name()));
    }

    @POST
    @Path("/practices/{practiceId}/move")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Move a practice to another group of the provider; its agents get that group's checks")
    @APIResponse(responseCode = "409", description = "The practice is decommissioned or the group archived")
    public PracticeView move(@PathParam("practiceId") UUID practiceId, @NotNull Move request) {
        UUID to;
        try {
            to = UUID.fromString(String.valueOf(request.groupId()).strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("The practice was not moved", List.of(new FieldError("groupId", "choose the group to move it to")));
        }
        return PracticeView.of(practices.move(caller.get(), practiceId, to));
    }

    @POST
    @Path("/practices/{practiceId}/decommission")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Decommission a practice: its agents are revoked, its open alerts closed without email, its data kept read-only")
    public PracticeView decommission(@PathParam("practiceId") UUID practiceId, Decommission request) {
        return PracticeView.of(practices.decommission(caller.get(), practiceId, request == null ? null : request.reason()));
    }
}
