package io.rampart.controlplane.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.rampart.controlplane.shared.Role;

/** Test-only: a request that meets a bug (an IllegalArgumentException no refusal was meant by), as a real one would. */
@Path("/api/test-only/programming-error")
public class ProgrammingErrorResource {

    static final String INTERNAL_TEXT = "index 7 out of bounds for rule_state.since in PracticeStates#merge";

    @POST
    @RolesAllowed(Role.ADMIN)
    @Operation(hidden = true)
    public String fail() {
        throw new IllegalArgumentException(INTERNAL_TEXT);
    }
}
