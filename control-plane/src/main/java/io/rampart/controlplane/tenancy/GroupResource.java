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
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;

/**
 * Groups of practices: everyone reads the groups of their scope; a provider admin creates, renames, re-zones,
 * archives and un-archives them and adds practices to them (see {@link GroupLifecycle}, {@link PracticeLifecycle}).
 */
@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Groups", description = "Groups of practices and the practices in them")
public class GroupResource {

    @Inject
    CurrentCaller caller;
    @Inject
    GroupLifecycle groups;
    @Inject
    PracticeLifecycle practices;

    /** A group; archivedAt and archivedBy (a username) are null while it is live. timeZone is an IANA zone id. */
    public record GroupView(UUID id, UUID providerId, String name, String timeZone, Instant createdAt, @Schema(nullable = true) Instant archivedAt,
            @Schema(nullable = true) String archivedBy) {
        static GroupView of(PracticeGroup g) {
            return new GroupView(g.id, g.providerId, g.name, g.timeZone, g.createdAt, g.archivedAt, g.archivedBy);
        }
    }

    /** A new group, or a group's new name and time zone (both as the form shows them). */
    public record GroupRequest(String name, String timeZone) {
    }

    /** A new practice's name: 1 to 200 characters, no control characters, not used by a live practice of the group. */
    public record NewPractice(String name) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The groups of practices the caller may see, by name; archived ones only with includeArchived=true")
    public List<GroupView> groups(@QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived) {
        TenantScope scope = caller.get().scope();
        String where = scope.where("providerId", "id", null) + (includeArchived ? "" : " and archivedAt is null");
        return PracticeGroup.<PracticeGroup> list(where, Sort.by("name"), scope.parameters("providerId", "id", null)).stream()
                .map(GroupView::of).toList();
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Create a group in the caller's provider, with its name and IANA time zone")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "A bad or already used name, or a time zone that is not an IANA zone id")
    public Response create(@NotNull GroupRequest request) {
        PracticeGroup group = groups.create(caller.get(), request.name(), request.timeZone());
        return Response.status(Response.Status.CREATED).entity(GroupView.of(group)).build();
    }

    @PUT
    @Path("/{groupId}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Rename a group and set its time zone")
    @APIResponse(responseCode = "409", description = "The group is archived")
    public GroupView change(@PathParam("groupId") UUID groupId, @NotNull GroupRequest request) {
        return GroupView.of(groups.change(caller.get(), groupId, request.name(), request.timeZone()));
    }

    @POST
    @Path("/{groupId}/archive")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Archive a group that has no live practices: it leaves the fleet, digests and reports; its history is kept")
    @APIResponse(responseCode = "409", description = "The group still has live practices (named): move or decommission them first")
    public GroupView archive(@PathParam("groupId") UUID groupId) {
        return GroupView.of(groups.archive(caller.get(), groupId));
    }

    @POST
    @Path("/{groupId}/unarchive")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Bring an archived group back")
    public GroupView unarchive(@PathParam("groupId") UUID groupId) {
        return GroupView.of(groups.unarchive(caller.get(), groupId));
    }

    @POST
    @Path("/{groupId}/practices")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Add a practice to a group")
    @APIResponse(responseCode = "409", description = "The group is archived")
    public Response addPractice(@PathParam("groupId") UUID groupId, @NotNull NewPractice request) {
        Practice practice = practices.create(caller.get(), groupId, request.name());
        return Response.status(Response.Status.CREATED).entity(PracticeResource.PracticeView.of(practice)).build();
    }
}
