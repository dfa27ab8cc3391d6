package io.rampart.controlplane.maintenance;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.maintenance.MaintenanceWindows.Schedule;
import io.rampart.controlplane.maintenance.MaintenanceWindows.Showing;
import io.rampart.controlplane.maintenance.MaintenanceWindows.WindowView;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;

/** Maintenance windows of practices and groups (see {@link MaintenanceWindows} for who may do what). */
@Path("/api/maintenance-windows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Maintenance", description = "Planned work during which nothing about a practice is emailed; what still fails at the end is")
public class MaintenanceWindowResource {

    @Inject
    MaintenanceWindows windows;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "Maintenance windows in your tenancy: `state=current` (active and upcoming, the default), `active`, `upcoming`, "
            + "`past` or `all`; `practiceId` for those covering a practice (its own and its group's), `groupId` for a group's")
    public List<WindowView> list(@QueryParam("state") @DefaultValue("current") String state, @QueryParam("groupId") UUID groupId,
            @QueryParam("practiceId") UUID practiceId) {
        Showing showing;
        try {
            showing = Showing.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("Invalid maintenance window filter",
                    List.of(new FieldError("state", "one of current, active, upcoming, past, all")));
        }
        return windows.list(caller.get(), showing, groupId, practiceId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Operation(summary = "Schedule a maintenance window for a practice (practiceId) or every practice of a group (groupId only), "
            + "from startsAt (empty: now) to endsAt, at most 14 days, with the reason")
    @APIResponse(responseCode = "201", description = "Scheduled")
    @APIResponse(responseCode = "400", description = "A field is missing or out of range; errors names each")
    @APIResponse(responseCode = "409", description = "The practice is decommissioned or the group archived")
    public Response schedule(Schedule request) {
        WindowView scheduled = windows.schedule(caller.get(), request);
        return Response.created(URI.create("/api/maintenance-windows/" + scheduled.id())).entity(scheduled).build();
    }

    @POST
    @Path("/{windowId}/end")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Operation(summary = "End an active maintenance window now: what is still failing is emailed at once")
    @APIResponse(responseCode = "409", description = "The window has not started (cancel it), has ended, or was cancelled")
    public WindowView end(@PathParam("windowId") UUID windowId) {
        return windows.endEarly(caller.get(), windowId);
    }

    @DELETE
    @Path("/{windowId}")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Operation(summary = "Cancel a maintenance window that has not started; it stays in the list of past windows as cancelled")
    @APIResponse(responseCode = "409", description = "The window has started (end it early instead), has ended, or was cancelled")
    public WindowView cancel(@PathParam("windowId") UUID windowId) {
        return windows.cancel(caller.get(), windowId);
    }
}
