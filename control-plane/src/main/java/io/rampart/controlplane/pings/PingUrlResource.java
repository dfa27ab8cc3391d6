package io.rampart.controlplane.pings;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.pings.PingUrls.PingUrlView;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;

/** A reported-job check's ping URL: a secret, so provider admins only (technicians and managers never see it). */
@Path("/api/practices/{practiceId}/checks/{checkId}/ping")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pings", description = "healthchecks.io-compatible ping URLs of reported-job checks")
public class PingUrlResource {

    @Inject
    PingUrls pingUrls;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "The check's ping URL with examples for cron (curl), borgmatic and a Windows scheduled task; live false when none")
    @APIResponse(responseCode = "409", description = "The check is not of kind REPORTED_JOB")
    public PingUrlView get(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId) {
        return pingUrls.view(caller.get(), practiceId, checkId);
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Create the check's ping URL, or rotate it: the old id answers 404 from now on. The practice's agents stop "
            + "running the check; its results come from the pings")
    @APIResponse(responseCode = "409", description = "The check is not of kind REPORTED_JOB, or the practice is decommissioned")
    public PingUrlView rotate(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId) {
        return pingUrls.rotate(caller.get(), practiceId, checkId);
    }

    @DELETE
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Revoke the check's ping URL (404 from now on); the practice's agents run the check again")
    public PingUrlView revoke(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId) {
        return pingUrls.revoke(caller.get(), practiceId, checkId);
    }
}
