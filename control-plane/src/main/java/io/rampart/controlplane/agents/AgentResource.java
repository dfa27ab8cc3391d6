package io.rampart.controlplane.agents;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.ConfigurationChanges;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Role;

@Path("/api/agents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Agents", description = "Enrolled practice agents")
public class AgentResource {

    @Inject
    CurrentCaller caller;
    @Inject
    AgentRepository agents;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    ConfigurationChanges configurationChanges;

    public record AgentState(UUID id, UUID practiceId, String hostname, Instant revokedAt) {
    }

    @POST
    @Path("/{agentId}/revoke")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Revoke an agent: its next call is refused and it must be enrolled again with a new token")
    public AgentState revoke(@PathParam("agentId") UUID agentId) {
        Agent agent = agents.findIn(caller.get().scope(), agentId).orElseThrow(() -> new NotFound("No such agent, or not one you may see"));
        AgentState before = state(agent);
        if (!agent.revoked()) {
            agent.revokedAt = clock.instant();
            audit.record(caller.get(), new AuditLog.Change("agent.revoked", "agent", agent.id.toString(), agent.tenancy(), before, state(agent)));
            // its configuration watch ends within seconds, on whichever replica holds it
            configurationChanges.practiceChanged(agent.providerId, agent.groupId, agent.practiceId);
        }
        return state(agent);
    }

    private static AgentState state(Agent agent) {
        return new AgentState(agent.id, agent.practiceId, agent.hostname, agent.revokedAt);
    }
}
