package io.rampart.controlplane.fleet;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.fleet.FleetViews.Fleet;
import io.rampart.controlplane.fleet.FleetViews.PracticeDetail;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fleet", description = "Every practice and how it stands")
public class FleetResource {

    @Inject
    FleetService fleet;

    @GET
    @Path("/fleet")
    @Operation(summary = "All practices with their overall status and when their agents last called in, worst first")
    public Fleet fleet() {
        return fleet.fleet();
    }

    @GET
    @Path("/practices/{practiceId}")
    @Operation(summary = "One practice: its checks, agents and recent events")
    public PracticeDetail practice(@PathParam("practiceId") UUID practiceId) {
        return fleet.practice(practiceId).orElseThrow(() -> new NotFoundException("No practice " + practiceId));
    }
}
