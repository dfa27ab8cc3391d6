package io.rampart.controlplane.policy.checks;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.policy.checks.CheckViews.CheckView;
import io.rampart.controlplane.policy.checks.CheckViews.TemplateRequest;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;

@Path("/api/groups/{groupId}/checks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Check sets", description = "The checks each group's agents run, and what each practice runs differently")
public class GroupCheckResource {

    @Inject
    CheckSets checkSets;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Operation(summary = "The group's check set, sorted by check id, each with the rule it gives evidence for")
    public List<CheckView> list(@PathParam("groupId") UUID groupId) {
        return checkSets.groupChecks(caller.get().scope(), groupId).orElseThrow(NotVisible::group);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Add a check to the group's set; every practice's agents get it with their next configuration")
    @APIResponse(responseCode = "201", description = "The check as stored")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    @APIResponse(responseCode = "409", description = "The group already has a check of this id")
    public Response add(@PathParam("groupId") UUID groupId, CheckInput check) {
        return Response.status(Response.Status.CREATED).entity(checkSets.add(caller.get(), groupId, check)).build();
    }

    @PUT
    @Path("/{checkId}")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Change one check of the group's set: kind, interval and settings (the body's checkId may be left out)")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    @APIResponse(responseCode = "409", description = "A restore test restores this check, and the new kind cannot be restored")
    public CheckView change(@PathParam("groupId") UUID groupId, @PathParam("checkId") String checkId, CheckInput check) {
        return checkSets.change(caller.get(), groupId, checkId, check);
    }

    @DELETE
    @Path("/{checkId}")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Remove a check from the group's set")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "A restore test of the set restores this check")
    public void remove(@PathParam("groupId") UUID groupId, @PathParam("checkId") String checkId) {
        checkSets.remove(caller.get(), groupId, checkId);
    }

    @POST
    @Path("/from-template")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Start the group's check set from a template (\"reference\": all layers of the reference policy), in one call",
            description = "The checks are then edited one by one. Without replace, a template whose check ids the group already has is "
                    + "refused (409) and nothing changes.")
    @APIResponse(responseCode = "200", description = "The group's whole check set after the change")
    @APIResponse(responseCode = "400", description = "Unknown template or cloud tool, or a restore source that cannot be restored")
    @APIResponse(responseCode = "409", description = "The group already has some of the template's checks")
    public List<CheckView> fromTemplate(@PathParam("groupId") UUID groupId, TemplateRequest request) {
        return checkSets.applyTemplate(caller.get(), groupId, request);
    }
}
