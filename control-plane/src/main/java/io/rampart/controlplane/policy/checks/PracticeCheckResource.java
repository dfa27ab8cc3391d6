package io.rampart.controlplane.policy.checks;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.policy.checks.CheckViews.PracticeChecks;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;

@Path("/api/practices/{practiceId}/checks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Check sets", description = "The checks each group's agents run, and what each practice runs differently")
public class PracticeCheckResource {

    @Inject
    PracticeCheckSets checkSets;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "The checks the practice's agents run: its group's set with the practice's own overrides and additions "
            + "(origin GROUP, PRACTICE_OVERRIDE, PRACTICE), the group's checks it removed (removed: true), and the policy rules no "
            + "check serves (configuration gaps)")
    public PracticeChecks list(@PathParam("practiceId") UUID practiceId) {
        return checkSets.practiceChecks(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
    }

    @PUT
    @Path("/{checkId}")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "The practice runs this check its own way: in place of its group's check of the same id (e.g. borg where the "
            + "group's cloud copy is restic), or as a check of its own")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    public PracticeChecks set(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId, CheckInput check) {
        return checkSets.setAtPractice(caller.get(), practiceId, checkId, check);
    }

    @DELETE
    @Path("/{checkId}")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "The practice does not run this check (e.g. a practice without a UPS); its group's set is unchanged")
    @APIResponse(responseCode = "409", description = "A restore test of the practice restores this check")
    public PracticeChecks remove(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId) {
        return checkSets.removeAtPractice(caller.get(), practiceId, checkId);
    }

    @DELETE
    @Path("/{checkId}/override")
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Drop the practice's own word on this check: it runs its group's check of this id as the group defines it")
    public PracticeChecks revert(@PathParam("practiceId") UUID practiceId, @PathParam("checkId") String checkId) {
        return checkSets.revertAtPractice(caller.get(), practiceId, checkId);
    }
}
