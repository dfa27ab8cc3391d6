package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.Practice;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts", description = "Practices failing a rule, worked by the IT provider")
public class AlertResource {

    private static final int MAX_NOTE = 1000;

    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    public record AlertView(UUID id, UUID practiceId, String practiceName, UUID groupId, String ruleId, Alert.Status status, Alert.Level level, String reason,
            Instant openedAt, @Schema(nullable = true) Instant acknowledgedAt, @Schema(nullable = true) String acknowledgedBy,
            @Schema(nullable = true) String acknowledgedNote, @Schema(nullable = true) Instant escalatedAt, @Schema(nullable = true) Instant resolvedAt,
            List<NotificationView> notifications, boolean silenced, @Schema(nullable = true) Instant toldAt) {
    }

    /**
     * One delivery of the alert: {@code status} GIVEN_UP is a failed one (no more attempts; {@code lastError} says why in a
     * fixed vocabulary); SKIPPED was never sent, on purpose ({@code lastError} says why: the failure recovered before its
     * grouped email went out, or inside a maintenance window). {@code recipient} is shown as each role may see it: a webhook's URL only to provider admins
     * (others get its host, "https://hooks.slack.com/…"), the provider's on-call address not to group or practice managers.
     */
    public record NotificationView(Notification.Kind kind, Notification.Channel channel, String recipient, Notification.Status status,
            int attempts, @Schema(nullable = true) String lastError, @Schema(nullable = true) Instant nextAttemptAt,
            @Schema(nullable = true) Instant sentAt) {
    }

    public record Acknowledgement(String note) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "Alerts in your tenancy, newest first: `status=open` (open or acknowledged, the default), `resolved` or `all`, "
            + "each with the emails it sent")
    public List<AlertView> list(@QueryParam("status") @DefaultValue("open") String status) {
        String filter = switch (status) {
            case "open" -> " and status <> 'RESOLVED'";
            case "resolved" -> " and status = 'RESOLVED'";
            case "all" -> "";
            default -> throw new InvalidInput("Invalid alert filter", List.of(new FieldError("status", "one of open, resolved, all")));
        };
        TenantScope scope = caller.get().scope();
        List<Alert> alerts = Alert.<Alert> find(scope.where() + filter + " order by openedAt desc", scope.parameters()).page(0, 500).list();
        Map<UUID, String> names = practiceNames(alerts.stream().map(a -> a.practiceId).distinct().toList());
        Role viewer = caller.get().role();
        return alerts.stream().map(alert -> view(alert, names.get(alert.practiceId), viewer)).toList();
    }

    @POST
    @Path("/{alertId}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "Say someone is on it, with a note; the alert still resolves itself when the rule passes again")
    public AlertView acknowledge(@PathParam("alertId") UUID alertId, Acknowledgement acknowledgement) {
        TenantScope scope = caller.get().scope();
        Alert alert = Alert.<Alert> find("id = :id and " + scope.where(), scope.parameters().and("id", alertId)).firstResultOptional()
                .orElseThrow(() -> new NotFound("No such alert, or not one you may see"));
        String note = acknowledgement == null || acknowledgement.note() == null ? "" : acknowledgement.note().strip();
        if (note.length() > MAX_NOTE) {
            throw new InvalidInput("The acknowledgement is invalid", List.of(new FieldError("note", "at most " + MAX_NOTE + " characters")));
        }
        String practiceName = practiceNames(List.of(alert.practiceId)).get(alert.practiceId);
        Role viewer = caller.get().role();
        if (alert.status != Alert.Status.OPEN) {
            return view(alert, practiceName, viewer); // acknowledged already, or resolved: nothing to do
        }
        // the audit trail keeps no webhook address: it is a secret of the provider's chat or ticketing tool
        AlertView before = view(alert, practiceName, Role.PROVIDER_TECHNICIAN);
        alert.status = Alert.Status.ACKNOWLEDGED;
        alert.acknowledgedAt = clock.instant();
        alert.acknowledgedBy = caller.get().username();
        alert.acknowledgedNote = note;
        AlertView after = view(alert, practiceName, Role.PROVIDER_TECHNICIAN);
        audit.record(caller.get(), new AuditLog.Change("alert.acknowledged", "alert", alert.id.toString(), alert.tenancy(), before, after));
        return view(alert, practiceName, viewer);
    }

    /** A webhook's URL is a secret (Slack, Teams); the provider's on-call address is the provider's business. */
    static String recipientAsSeenBy(Notification notification, Role viewer) {
        if (notification.channel == Notification.Channel.WEBHOOK) {
            return viewer == Role.PROVIDER_ADMIN ? notification.recipient : WebhookResource.hostOnly(notification.recipient);
        }
        if (notification.kind == Notification.Kind.ESCALATION && (viewer == Role.GROUP_MANAGER || viewer == Role.PRACTICE_MANAGER)) {
            return "the IT provider's on-call address";
        }
        return notification.recipient;
    }

    private static Map<UUID, String> practiceNames(List<UUID> practiceIds) {
        return practiceIds.isEmpty() ? Map.of()
                : Practice.<Practice> list("id in ?1", practiceIds).stream().collect(Collectors.toMap(p -> p.id, p -> p.name));
    }

    private static AlertView view(Alert alert, String practiceName, Role viewer) {
        List<NotificationView> notifications = Notification.<Notification> list("alertId = ?1 order by createdAt, recipient", alert.id).stream()
                .map(n -> new NotificationView(n.kind, n.channel, recipientAsSeenBy(n, viewer), n.status, n.attempts, n.lastError,
                        n.status == Notification.Status.PENDING ? n.nextAttemptAt : null, n.sentAt))
                .toList();
        return new AlertView(alert.id, alert.practiceId, practiceName, alert.groupId, alert.ruleId, alert.status, alert.level, alert.reason, alert.openedAt,
                alert.acknowledgedAt, alert.acknowledgedBy, alert.acknowledgedNote, alert.escalatedAt, alert.resolvedAt, notifications,
                alert.silenced, alert.toldAt);
    }
}
