package io.rampart.controlplane.compliance;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.compliance.ComplianceViews.GroupCompliance;
import io.rampart.controlplane.compliance.ComplianceViews.GroupRuleHistory;
import io.rampart.controlplane.compliance.ComplianceViews.MonthlyReport;
import io.rampart.controlplane.policy.DateInput;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.PracticeGroup;

@Path("/api/groups/{groupId}/compliance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Compliance", description = "How every practice and group stands against its policy, and how it went")
// practice managers see their own practice, not how the rest of the group is doing
@RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
public class GroupComplianceResource {

    @Inject
    ComplianceService compliance;
    @Inject
    MonthlyReportService monthlyReports;
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
        ZoneId zone = PracticeGroup.zoneOf(groupId);
        Optional<Instant> end = to == null ? Optional.of(now) : DateInput.parse(to, LocalTime.MAX.truncatedTo(ChronoUnit.SECONDS), zone);
        Optional<Instant> start = from == null ? end.map(e -> e.minus(30, ChronoUnit.DAYS)) : DateInput.parse(from, LocalTime.MIDNIGHT, zone);
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

    @GET
    @Path("/report")
    @Operation(summary = "The group's month for its board (default: the current UTC month): the share of practices passing each "
            + "rule at the end of each day, every practice's time failing each rule, the restore-time and sync-lag objectives, "
            + "the latest plan reviews. The period is [from, to): to is the next month's first instant, or now")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "400", description = "month is no month (2026-11) or has not begun: problem+json with `errors`")
    public MonthlyReport report(@PathParam("groupId") UUID groupId, @QueryParam("month") String month) {
        return monthlyReport(groupId, month);
    }

    @GET
    @Path("/report.csv")
    @Produces("text/csv")
    @Operation(summary = "The monthly report as CSV: each day's shares in percent, an empty line, then the failures")
    @APIResponse(responseCode = "200", description = "An attachment, rampart-<group>-<month>.csv",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "month is no month (2026-11) or has not begun: problem+json with `errors`")
    public Response reportCsv(@PathParam("groupId") UUID groupId, @QueryParam("month") String month) {
        MonthlyReport report = monthlyReport(groupId, month);
        return attachment(MonthlyReportCsv.write(report), "text/csv; charset=UTF-8", report, "csv");
    }

    @GET
    @Path("/report.pdf")
    @Produces("application/pdf")
    @Operation(summary = "The monthly report as an A4 PDF to hand to the board")
    @APIResponse(responseCode = "200", description = "An attachment, rampart-<group>-<month>.pdf",
            content = @Content(mediaType = "application/pdf", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "month is no month (2026-11) or has not begun: problem+json with `errors`")
    public Response reportPdf(@PathParam("groupId") UUID groupId, @QueryParam("month") String month) {
        MonthlyReport report = monthlyReport(groupId, month);
        return attachment(MonthlyReportPdf.write(report), "application/pdf", report, "pdf");
    }

    private MonthlyReport monthlyReport(UUID groupId, String month) {
        Instant now = clock.instant();
        // an empty month (a form's "current" choice) is no month given
        Optional<YearMonth> asked = month == null || month.isBlank() ? Optional.of(YearMonth.from(now.atZone(ZoneOffset.UTC)))
                : ReportMonth.parse(month);
        if (asked.isEmpty()) {
            throw new InvalidInput("Invalid report request", List.of(new FieldError("month", "must be a month, e.g. 2026-11")));
        }
        ReportMonth period = ReportMonth.of(asked.get(), now).orElseThrow(() -> new InvalidInput("Invalid report request",
                List.of(new FieldError("month", "must not be in the future"))));
        return monthlyReports.report(caller.get().scope(), groupId, period, now).orElseThrow(NotVisible::group);
    }

    private static Response attachment(Object body, String contentType, MonthlyReport report, String extension) {
        return Response.ok(body, contentType)
                .header("Content-Disposition", "attachment; filename=\"" + fileName(report, extension) + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** What people download: rampart-coastal-practices-2026-11.pdf. */
    static String fileName(MonthlyReport report, String extension) {
        return "rampart-" + slug(report.groupName()) + "-" + report.month() + "." + extension;
    }

    /** Lower-case ASCII letters and digits between single dashes, accents dropped ("Côte Médicale" is "cote-medicale"): safe in any header. */
    static String slug(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "group" : slug;
    }
}
