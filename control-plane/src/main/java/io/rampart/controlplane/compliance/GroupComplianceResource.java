package io.rampart.controlplane.compliance;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.compliance.ComplianceViews.GroupCompliance;
import io.rampart.controlplane.compliance.ComplianceViews.GroupRuleHistory;
import io.rampart.controlplane.policy.DateInput;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.tenancy.CurrentCaller;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Role;
import io.rampart.controlplane.web.InvalidInput;
import io.rampart.controlplane.web.InvalidInput.FieldError;

@Path("/api/groups/{groupId}/compliance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Compliance", description = "How every practice and group stands against its policy, and how it went")
// practice managers see their own practice, not how the rest of the group is doing
@RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
public class GroupComplianceResource {

    @Inject
    ComplianceService compliance;
    @Inject
    CurrentCaller caller;
    @Inject
    Clock clock;

    @GET
    @Operation(summary = "The share of the group's practices passing each rule, and passing every rule")
    public GroupCompliance group(@PathParam("groupId") UUID groupId) {
        return compliance.group(caller.get().scope(), groupId).orElseThrow(NotVisible::group);
    }

    @GET
    @Path("/history")
    @Operation(summary = "How the group went on one rule over a period (default: the last 30 days): for how long it was "
            + "below 100 % (at least one practice not passing), and every change")
    public GroupRuleHistory history(@PathParam("groupId") UUID groupId, @QueryParam("rule") String ruleId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        List<FieldError> errors = new ArrayList<>();
        if (ruleId == null || !PolicyDocument.reference().rules().containsKey(ruleId)) {
            errors.add(new FieldError("rule", "must be one of " + String.join(", ", PolicyDocument.reference().rules().keySet())));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Optional<Instant> end = to == null ? Optional.of(now) : DateInput.parse(to, LocalTime.MAX.truncatedTo(ChronoUnit.SECONDS));
        Optional<Instant> start = from == null ? end.map(e -> e.minus(30, ChronoUnit.DAYS)) : DateInput.parse(from, LocalTime.MIDNIGHT);
        if (end.isEmpty()) {
            errors.add(new FieldError("to", "must be a date (2026-11-30) or an instant (2026-11-30T17:00:00Z)"));
        }
        if (start.isEmpty()) {
            errors.add(new FieldError("from", "must be a date (2026-11-01) or an instant (2026-11-01T00:00:00Z)"));
        }
        if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
            errors.add(new FieldError("from", "must be before to"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("Invalid history request", errors);
        }
        return compliance.groupRuleHistory(caller.get().scope(), groupId, ruleId, start.get(), end.get())
                .orElseThrow(NotVisible::group);
    }
}
