package io.rampart.controlplane.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.agents.install.InstallCommands;
import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;

@Path("/api/practices/{practiceId}/enrolment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Enrolment", description = "Tokens that let a new agent join a practice")
public class EnrolmentTokenResource {

    @Inject
    Enrolment enrolment;
    @Inject
    PracticeRepository practices;
    @Inject
    RampartConfig config;
    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;
    @Inject
    InstallCommands installCommands;

    public record TokenRequest(@Min(1) @Max(24 * 30) Integer validForHours) {
    }

    /** enrolCommand is the Linux one-liner (kept under its old name); the install commands install, enrol and start the agent. */
    public record TokenCreated(UUID id, UUID practiceId, String token, Instant expiresAt, String enrolCommand,
            String installCommandLinux, String installCommandWindows) {
    }

    /** What the audit log keeps of a token: never the token itself. */
    public record TokenAudit(UUID id, UUID practiceId, Instant expiresAt) {
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Create a single-use enrolment token for a practice; the token is shown only in this response")
    public Response create(@PathParam("practiceId") UUID practiceId, @Valid TokenRequest request) {
        Practice practice = practices.findIn(caller.get().scope(), practiceId).orElseThrow(NotVisible::practice);
        if (practice.decommissioned()) {
            throw new Conflict("The practice \"" + practice.name + "\" was decommissioned on " + practice.decommissionedAt + " by "
                    + practice.decommissionedBy + "; no agent can be enrolled for it");
        }
        Duration validity = request == null || request.validForHours() == null ? config.agents().enrolmentTokenValidity()
                : Duration.ofHours(request.validForHours());
        Enrolment.IssuedToken issued = enrolment.issueToken(practice, validity);
        audit.record(caller.get(), new AuditLog.Change("enrolment-token.created", "enrolment-token", issued.id().toString(),
                practice.tenancy(), null, new TokenAudit(issued.id(), practiceId, issued.expiresAt())));
        String linux = installCommands.linux(issued.token());
        return Response.status(Response.Status.CREATED)
                .entity(new TokenCreated(issued.id(), practiceId, issued.token(), issued.expiresAt(), linux, linux,
                        installCommands.windows(issued.token())))
                .build();
    }
}
