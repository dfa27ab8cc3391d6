package io.rampart.controlplane.fleet;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.fleet.FleetViews.PracticeDetail;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fleet", description = "Every practice and how it stands")
/**
 * One practice's detail: its agents, the latest result of each check and its recent events. How the practice stands
 * against its group's policy is {@code GET /api/practices/{id}/compliance}; the fleet is {@code GET /api/fleet/compliance}.
 */
public class FleetResource {

    @Inject
    FleetService fleet;
    @Inject
    CurrentCaller caller;

    @GET
    @Path("/practices/{practiceId}")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "One practice: its checks, agents and recent events")
    public PracticeDetail practice(@PathParam("practiceId") UUID practiceId) {
        return fleet.practice(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
    }
}
