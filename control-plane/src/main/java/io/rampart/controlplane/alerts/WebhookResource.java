package io.rampart.controlplane.alerts;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.agents.Secrets;
import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.tenancy.Caller;
import io.rampart.controlplane.tenancy.CurrentCaller;
import io.rampart.controlplane.tenancy.Role;
import io.rampart.controlplane.tenancy.Tenancy;
import io.rampart.controlplane.web.InvalidInput;
import io.rampart.controlplane.web.InvalidInput.FieldError;

@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Alerts sent to a provider's ticketing or chat tool")
@RolesAllowed(Role.ADMIN)
public class WebhookResource {

    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    public record WebhookRequest(String url) {
    }

    /** The secret only in the answer to its creation: it is shown once. */
    public record WebhookView(UUID id, String url, String createdBy, Instant createdAt, String secret) {
    }

    @GET
    @Transactional
    @Operation(summary = "Your provider's webhooks (without their secrets)")
    public List<WebhookView> list() {
        return Webhook.<Webhook> list("providerId = ?1 order by createdAt", providerId()).stream()
                .map(w -> new WebhookView(w.id, w.url, w.createdBy, w.createdAt, null)).toList();
    }

    @POST
    @Transactional
    @Operation(summary = "Have every alert opened or resolved POSTed to this https URL as JSON, signed in the X-Rampart-Signature "
            + "header (sha256=hex HMAC-SHA256 of the body under the secret returned here, once)")
    public Response add(WebhookRequest request) {
        String url = request == null || request.url() == null ? "" : request.url().strip();
        if (!acceptable(url)) {
            throw new InvalidInput("The webhook is invalid; nothing was added",
                    List.of(new FieldError("url", "an https:// address (http:// only for localhost), at most 2000 characters")));
        }
        Caller me = caller.get();
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.providerId = providerId();
        webhook.url = url;
        webhook.secret = Secrets.newSecret("rpw_");
        webhook.createdBy = me.username();
        webhook.createdAt = clock.instant();
        webhook.persist();
        audit.record(me, new AuditLog.Change("webhook.added", "webhook", webhook.id.toString(), new Tenancy(webhook.providerId, null, null),
                null, Map.of("url", url)));
        return Response.status(Response.Status.CREATED)
                .entity(new WebhookView(webhook.id, webhook.url, webhook.createdBy, webhook.createdAt, webhook.secret)).build();
    }

    @DELETE
    @Path("/{webhookId}")
    @Transactional
    @Operation(summary = "Stop calling a webhook")
    public Response remove(@PathParam("webhookId") UUID webhookId) {
        Webhook webhook = Webhook.<Webhook> find("id = ?1 and providerId = ?2", webhookId, providerId()).firstResultOptional()
                .orElseThrow(() -> new NotFoundException("No such webhook of your provider"));
        webhook.delete();
        audit.record(caller.get(), new AuditLog.Change("webhook.removed", "webhook", webhook.id.toString(),
                new Tenancy(webhook.providerId, null, null), Map.of("url", webhook.url), null));
        return Response.noContent().build();
    }

    private UUID providerId() {
        return caller.get().scope().providerId();
    }

    private static boolean acceptable(String url) {
        if (url.isEmpty() || url.length() > 2000) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            return host != null && ("https".equals(uri.getScheme())
                    || "http".equals(uri.getScheme()) && (host.equals("localhost") || host.equals("127.0.0.1")));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
