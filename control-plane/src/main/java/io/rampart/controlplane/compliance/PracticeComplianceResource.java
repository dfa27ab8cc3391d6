package io.rampart.controlplane.compliance;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.compliance.ComplianceViews.Change;
import io.rampart.controlplane.compliance.ComplianceViews.PracticeReport;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;

@Path("/api/practices/{practiceId}/compliance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Compliance", description = "How every practice and group stands against its policy, and how it went")
@RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
public class PracticeComplianceResource {

    private static final int MAX_HISTORY = 1000;

    @Inject
    ComplianceService compliance;
    @Inject
    CurrentCaller caller;

    @GET
    @Operation(summary = "The practice against its group's policy: each rule's state with its reason, the worst of them, "
            + "and the measured restore time and sync lag against the downtime and data-loss objectives")
    public PracticeReport practice(@PathParam("practiceId") UUID practiceId) {
        return compliance.practice(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
    }

    @GET
    @Path("/history")
    @Operation(summary = "Every change of the practice's rule states and overall state, newest first")
    public List<Change> history(@PathParam("practiceId") UUID practiceId, @QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw new InvalidInput("Invalid history request", List.of(new FieldError("limit", "must be between 1 and " + MAX_HISTORY)));
        }
        return compliance.practiceHistory(caller.get().scope(), practiceId, limit).orElseThrow(NotVisible::practice);
    }
}
