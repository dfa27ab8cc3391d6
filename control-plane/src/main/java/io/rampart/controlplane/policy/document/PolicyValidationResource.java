package io.rampart.controlplane.policy.document;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.rampart.controlplane.shared.Role;

@Path("/api/policies/validate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Policies")
public class PolicyValidationResource {

    /** A valid document, as it would be stored (ISO-8601 strings normalised, e.g. "P7D" as "PT168H"). */
    public record Valid(boolean valid, JsonNode document) {
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "Check a policy document without storing it (dry run)")
    @APIResponse(responseCode = "200", description = "Valid; the document as it would be stored")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    public Valid validate(JsonNode document) {
        return new Valid(true, PolicyWriter.write(PolicyReader.read(document, "")));
    }
}
