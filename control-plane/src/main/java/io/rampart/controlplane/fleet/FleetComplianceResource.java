package io.rampart.controlplane.fleet;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.fleet.FleetCompliance.Filter;
import io.rampart.controlplane.fleet.FleetCompliance.Page;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;

@Path("/api/fleet/compliance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fleet", description = "Every practice and how it stands")
public class FleetComplianceResource {

    @Inject
    FleetCompliance fleet;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "One page of the practices you may see, with their compliance state and the rules they fail: filter by "
            + "state (PASS, AT_RISK, FAIL, UNKNOWN), groupId and rule, search names with q, sort by group (the default: worst first "
            + "within each group), state (worst first), name or lastSeen; counts per state cover every filter but the state")
    public Page page(@QueryParam("state") String state, @QueryParam("groupId") UUID groupId, @QueryParam("rule") String rule,
            @QueryParam("q") String search, @QueryParam("sort") String sort, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return fleet.page(caller.get().scope(), new Filter(state, groupId, rule, search, sort, page, size));
    }
}
