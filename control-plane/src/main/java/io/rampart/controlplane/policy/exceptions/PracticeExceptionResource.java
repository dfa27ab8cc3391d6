package io.rampart.controlplane.policy.exceptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.DateInput;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.document.RuleKinds;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeRepository;

@Path("/api/practices/{practiceId}/exceptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Policy exceptions", description = "Documented exceptions to a rule for one practice: which rule, why, who approved, until when")
public class PracticeExceptionResource {

    /** An exception must end, and be looked at again within a year: never a silent, permanent hole in the policy. */
    static final Duration LONGEST = Duration.ofDays(366);
    /** Whole seconds: the database keeps microseconds, and 23:59:59.999999999 would round into the next day. */
    static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);
    static final int MAX_REASON = 2000;
    static final int MAX_NAME = 200;

    @Inject
    PolicyExceptions exceptions;
    @Inject
    PracticeRepository practices;
    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    Clock clock;

    public record ExceptionRequest(String ruleId, String reason, String approvedBy,
            @Schema(description = "Inclusive end: an ISO-8601 instant, or a date meaning the end of that day (UTC); at most a year ahead") String until) {
    }

    public enum ExceptionState {
        ACTIVE, EXPIRED, REVOKED
    }

    public record ExceptionView(UUID id, UUID practiceId, String ruleId, String reason, String approvedBy, Instant until,
            ExceptionState state, String createdBy, Instant createdAt, String revokedBy, Instant revokedAt) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The practice's exceptions, newest first, with whether each is active, expired or revoked")
    public List<ExceptionView> list(@PathParam("practiceId") UUID practiceId) {
        Practice practice = practice(practiceId);
        Instant now = now();
        return exceptions.listIn(caller.get().scope(), practice.id).stream().map(e -> view(e, now)).toList();
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Record an exception to a rule for the practice; while active, the rule passes with the reason shown")
    @APIResponse(responseCode = "201", description = "Recorded")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    public Response create(@PathParam("practiceId") UUID practiceId, ExceptionRequest request) {
        Practice practice = practices.liveIn(caller.get().scope(), practiceId);
        Caller me = caller.get();
        Instant now = now();
        PolicyExceptionEntry entry = new PolicyExceptionEntry();
        entry.id = UUID.randomUUID();
        entry.providerId = practice.providerId;
        entry.groupId = practice.groupId;
        entry.practiceId = practice.id;
        validateInto(entry, request, now, PracticeGroup.zoneOf(practice.groupId));
        entry.createdBy = me.username();
        entry.createdAt = now;
        exceptions.persist(entry);
        ExceptionView created = view(entry, now);
        inputChanged.fire(PolicyInputChanged.practice(entry.groupId, entry.practiceId));
        audit.record(me, new AuditLog.Change("policy-exception.created", "policy-exception", entry.id.toString(), entry.tenancy(), null,
                created));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("/{exceptionId}")
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Revoke an exception: the rule applies again at once; the exception stays in the history")
    public ExceptionView revoke(@PathParam("practiceId") UUID practiceId, @PathParam("exceptionId") UUID exceptionId) {
        Practice practice = practices.liveIn(caller.get().scope(), practiceId);
        PolicyExceptionEntry entry = exceptions.findIn(caller.get().scope(), practice.id, exceptionId)
                .orElseThrow(() -> new NotFound("No such exception for this practice, or not one you may see"));
        Instant now = now();
        if (entry.revokedAt == null) {
            ExceptionView before = view(entry, now);
            entry.revokedAt = now;
            entry.revokedBy = caller.get().username();
            inputChanged.fire(PolicyInputChanged.practice(entry.groupId, entry.practiceId));
            audit.record(caller.get(), new AuditLog.Change("policy-exception.revoked", "policy-exception", entry.id.toString(),
                    entry.tenancy(), before, view(entry, now)));
        }
        return view(entry, now);
    }

    /** Fills the entry from the request, or refuses it with every field's problem. */
    private static void validateInto(PolicyExceptionEntry entry, ExceptionRequest request, Instant now, ZoneId zone) {
        ExceptionRequest given = request == null ? new ExceptionRequest(null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        String ruleId = text(given.ruleId());
        if (ruleId.isEmpty()) {
            errors.add(new FieldError("ruleId", "required: one of " + String.join(", ", RuleKinds.ids())));
        } else if (RuleKinds.byId(ruleId).isEmpty()) {
            errors.add(new FieldError("ruleId", "unknown rule; the rules are " + String.join(", ", RuleKinds.ids())));
        }
        String reason = required(given.reason(), "reason", MAX_REASON, errors);
        String approvedBy = required(given.approvedBy(), "approvedBy", MAX_NAME, errors);
        Instant until = null;
        if (text(given.until()).isEmpty()) {
            errors.add(new FieldError("until", "required: when the exception ends, e.g. 2027-01-31"));
        } else {
            Optional<Instant> parsed = DateInput.parse(given.until(), END_OF_DAY, zone);
            if (parsed.isEmpty()) {
                errors.add(new FieldError("until", "not a date or an ISO-8601 instant: \"" + given.until() + "\""));
            } else if (!parsed.get().isAfter(now)) {
                errors.add(new FieldError("until", "must be in the future"));
            } else if (parsed.get().isAfter(now.plus(LONGEST))) {
                errors.add(new FieldError("until", "at most a year ahead; renew the exception when it ends if it is still needed"));
            } else {
                until = parsed.get();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The exception is invalid; nothing was recorded", errors);
        }
        entry.ruleId = ruleId;
        entry.reason = reason;
        entry.approvedBy = approvedBy;
        entry.validUntil = until;
    }

    private static String required(String value, String field, int max, List<FieldError> errors) {
        String text = text(value);
        if (text.isEmpty()) {
            errors.add(new FieldError(field, "required"));
        } else if (text.length() > max) {
            errors.add(new FieldError(field, "at most " + max + " characters"));
        }
        return text;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private Practice practice(UUID practiceId) {
        return practices.findIn(caller.get().scope(), practiceId)
                .orElseThrow(NotVisible::practice);
    }

    private static ExceptionView view(PolicyExceptionEntry e, Instant now) {
        ExceptionState state = e.revokedAt != null ? ExceptionState.REVOKED : e.activeAt(now) ? ExceptionState.ACTIVE : ExceptionState.EXPIRED;
        return new ExceptionView(e.id, e.practiceId, e.ruleId, e.reason, e.approvedBy, e.validUntil, state, e.createdBy, e.createdAt,
                e.revokedBy, e.revokedAt);
    }

    /** Microseconds, as the database keeps them, so an answer shows what a later read will. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
