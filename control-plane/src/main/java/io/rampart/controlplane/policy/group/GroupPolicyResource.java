package io.rampart.controlplane.policy.group;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.rampart.controlplane.policy.document.PolicyWriter;
import io.rampart.controlplane.policy.group.GroupPolicies.PolicyVersion;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;

@Path("/api/groups/{groupId}/policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Policies", description = "Each group's policy: the rules its practices are held to, with their thresholds, versioned")
public class GroupPolicyResource {

    static final int MAX_COMMENT = 2000;

    @Inject
    GroupPolicies policies;
    @Inject
    CurrentCaller caller;

    @Schema(description = "One version of a group's policy. Version 0 is the reference policy of a group that never changed it.")
    public record PolicyVersionView(UUID groupId, int version,
            @Schema(description = "{\"rules\": {\"<rule id>\": {\"enabled\": true, \"<threshold>\": \"PT26H\", ...}}}; durations and "
                    + "periods as ISO-8601 strings") JsonNode document,
            String changedBy, Instant changedAt, String comment) {

        static PolicyVersionView of(PolicyVersion version) {
            return new PolicyVersionView(version.groupId(), version.version(), PolicyWriter.write(version.document()),
                    version.changedBy(), version.changedAt(), version.comment());
        }
    }

    @Schema(description = "A new policy for the group: the whole document, why, and optionally the version it was edited from")
    public record PolicyChange(JsonNode document, String comment,
            @Schema(description = "When given, the change is refused (409) if the policy is no longer at this version") Integer basedOnVersion) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "The group's effective policy (its current version)")
    public PolicyVersionView policy(@PathParam("groupId") UUID groupId) {
        return policies.current(caller.get().scope(), groupId).map(PolicyVersionView::of).orElseThrow(NotVisible::group);
    }

    @PUT
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Change the group's policy: the document becomes the next version; an invalid one changes nothing",
            description = "Applying a template is a PUT of the template's document.")
    @APIResponse(responseCode = "200", description = "The new version")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    @APIResponse(responseCode = "409", description = "basedOnVersion is no longer the current version")
    public PolicyVersionView change(@PathParam("groupId") UUID groupId, PolicyChange change) {
        if (change == null) {
            throw new InvalidInput("The request has no body; nothing was changed",
                    List.of(new FieldError("document", "required: a policy document, {\"rules\": {...}}")));
        }
        if (change.comment() != null && change.comment().length() > MAX_COMMENT) {
            throw new InvalidInput("The comment is too long; nothing was changed",
                    List.of(new FieldError("comment", "at most " + MAX_COMMENT + " characters")));
        }
        return PolicyVersionView.of(policies.change(caller.get(), groupId, change.document(), change.comment(),
                change.basedOnVersion()));
    }

    @GET
    @Path("/versions")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "Every version of the group's policy, newest first (empty while it has the reference policy)")
    public List<PolicyVersionView> versions(@PathParam("groupId") UUID groupId) {
        return policies.history(caller.get().scope(), groupId).orElseThrow(NotVisible::group).stream()
                .map(PolicyVersionView::of).toList();
    }
}
