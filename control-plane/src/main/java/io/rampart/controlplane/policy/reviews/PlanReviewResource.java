package io.rampart.controlplane.policy.reviews;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
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

import io.rampart.controlplane.policy.DateInput;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;

@Path("/api/practices/{practiceId}/plan-reviews")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Plan reviews", description = "Reviews of a practice's documented backup procedure (rule plan-review)")
public class PlanReviewResource {

    /** Clocks of browsers and servers differ a little; a review "now" must not be refused as future. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final int MAX_NOTE = 4000;
    static final int MAX_NAME = 200;
    static final int MAX_URL = 2000;

    @Inject
    PlanReviews reviews;
    @Inject
    PracticeRepository practices;
    @Inject
    CurrentCaller caller;

    public record ReviewRequest(
            @Schema(description = "Who reviewed the procedure; the signed-in person when absent") String reviewedBy,
            @Schema(description = "When: an ISO-8601 instant, or a date, meaning that day in the group's time zone (today: now); now "
                    + "when absent; not in the future") String reviewedAt,
            String note,
            @Schema(description = "Optional http(s) link to the reviewed document") String documentUrl) {
    }

    public record ReviewView(UUID id, UUID practiceId, String reviewedBy, Instant reviewedAt, @Schema(nullable = true) String note,
            @Schema(nullable = true) String documentUrl,
            String recordedBy, Instant recordedAt) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The practice's plan reviews, most recent first")
    public List<ReviewView> list(@PathParam("practiceId") UUID practiceId) {
        Practice practice = practice(practiceId);
        return reviews.listIn(caller.get().scope(), practice.id).stream().map(PlanReviewResource::view).toList();
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Record that a person reviewed the practice's backup procedure")
    @APIResponse(responseCode = "201", description = "Recorded")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    public Response record(@PathParam("practiceId") UUID practiceId, ReviewRequest request) {
        ReviewView recorded = reviews.record(caller.get(), practices.liveIn(caller.get().scope(), practiceId), request);
        return Response.status(Response.Status.CREATED).entity(recorded).build();
    }

    /** Fills the entry from the request, or refuses it with every field's problem. */
    static void validateInto(PlanReviewEntry entry, ReviewRequest request, Caller me, Instant now, ZoneId zone) {
        List<FieldError> errors = new ArrayList<>();
        String reviewedBy = text(request.reviewedBy());
        if (reviewedBy.isEmpty()) {
            reviewedBy = me.name() == null || me.name().isBlank() ? me.username() : me.name();
        } else if (reviewedBy.length() > MAX_NAME) {
            errors.add(new FieldError("reviewedBy", "at most " + MAX_NAME + " characters"));
        }
        Instant reviewedAt = now;
        if (!text(request.reviewedAt()).isEmpty()) {
            Optional<Instant> parsed = DateInput.happenedAt(request.reviewedAt(), zone, now);
            if (parsed.isEmpty()) {
                errors.add(new FieldError("reviewedAt", "not a date or an ISO-8601 instant: \"" + request.reviewedAt() + "\""));
            } else if (parsed.get().isAfter(now.plus(CLOCK_SKEW))) {
                errors.add(new FieldError("reviewedAt", "must not be in the future (today in " + zone.getId() + " is "
                        + LocalDate.ofInstant(now, zone) + ")"));
            } else {
                reviewedAt = parsed.get();
            }
        }
        String note = text(request.note());
        if (note.isEmpty()) {
            errors.add(new FieldError("note", "required: what was reviewed, and what came of it"));
        } else if (note.length() > MAX_NOTE) {
            errors.add(new FieldError("note", "at most " + MAX_NOTE + " characters"));
        }
        String documentUrl = text(request.documentUrl());
        if (!documentUrl.isEmpty() && !isWebLink(documentUrl)) {
            errors.add(new FieldError("documentUrl", "must be an http or https link of at most " + MAX_URL + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The plan review is invalid; nothing was recorded", errors);
        }
        entry.reviewedBy = reviewedBy;
        entry.reviewedAt = reviewedAt;
        entry.note = note;
        entry.documentUrl = documentUrl.isEmpty() ? null : documentUrl;
    }

    /** Only web links: the web UI shows the link, and a javascript: or file: one must never get there. */
    private static boolean isWebLink(String value) {
        if (value.length() > MAX_URL) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && Set.of("http", "https").contains(uri.getScheme().toLowerCase()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    private Practice practice(UUID practiceId) {
        return practices.findIn(caller.get().scope(), practiceId)
                .orElseThrow(NotVisible::practice);
    }

    static ReviewView view(PlanReviewEntry e) {
        return new ReviewView(e.id, e.practiceId, e.reviewedBy, e.reviewedAt, e.note, e.documentUrl, e.recordedBy, e.recordedAt);
    }

}
