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

import io.rampart.controlplane.fleet.FleetViews.Fleet;
import io.rampart.controlplane.fleet.FleetViews.PracticeDetail;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.shared.Role;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fleet", description = "Every practice and how it stands")
public class FleetResource {

    @Inject
    FleetService fleet;
    @Inject
    CurrentCaller caller;

    @GET
    @Path("/fleet")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "All practices with their overall status and when their agents last called in, worst first")
    public Fleet fleet() {
        return fleet.fleet(caller.get().scope());
    }

    @GET
    @Path("/practices/{practiceId}")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "One practice: its checks, agents and recent events")
    public PracticeDetail practice(@PathParam("practiceId") UUID practiceId) {
        return fleet.practice(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
    }
}
