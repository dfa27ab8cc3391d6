package io.rampart.controlplane.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;

@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Who changed what, when")
public class AuditResource {

    @Inject
    CurrentCaller caller;
    @Inject
    ObjectMapper json;

    public record AuditView(UUID id, Instant occurredAt, String actor, String actorRole, String action, String targetType,
            String targetId, UUID groupId, UUID practiceId, JsonNode before, JsonNode after) {
    }

    @GET
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "The provider's audit log, newest first")
    public List<AuditView> audit(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return AuditEntry.<AuditEntry> find(caller.get().scope().where(), Sort.descending("occurredAt"), caller.get().scope().parameters())
                .page(Page.ofSize(limit)).list().stream()
                .map(e -> new AuditView(e.id, e.occurredAt, e.actorUsername, e.actorRole, e.action, e.targetType, e.targetId,
                        e.groupId, e.practiceId, read(e.before), read(e.after)))
                .toList();
    }

    private JsonNode read(String state) {
        try {
            return state == null ? null : json.readTree(state);
        } catch (Exception e) {
            return null;
        }
    }
}
