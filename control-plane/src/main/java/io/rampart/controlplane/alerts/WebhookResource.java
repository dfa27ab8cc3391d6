package io.rampart.controlplane.alerts;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.agents.Secrets;
import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.Tenancy;

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
    @Inject
    WebhookCalls calls;

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
            + "header (sha256=hex HMAC-SHA256 of the body under the secret returned here, once). Refused (400, under url): an address "
            + "your provider already has, one that is not public (loopback, link-local, private, reserved; unless the operator allows "
            + "them), one with a user name, an IPv4 address not written as four decimal numbers")
    public Response add(WebhookRequest request) {
        String url = request == null || request.url() == null ? "" : request.url().strip();
        WebhookDestinations destinations = calls.destinations();
        Optional<String> problem = destinations.checkUrl(url);
        if (problem.isEmpty()) {
            problem = reachable(destinations, url);
        }
        if (problem.isEmpty() && Webhook.count("providerId = ?1 and url = ?2", providerId(), url) > 0) {
            problem = Optional.of("your provider already has a webhook to this address; each alert is sent to it once");
        }
        if (problem.isPresent()) {
            throw new InvalidInput("The webhook is invalid; nothing was added", List.of(new FieldError("url", problem.get())));
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
        // the audit trail keeps the host only: a Slack or Teams address is itself a secret
        audit.record(me, new AuditLog.Change("webhook.added", "webhook", webhook.id.toString(), new Tenancy(webhook.providerId, null, null),
                null, Map.of("url", hostOnly(url))));
        return Response.status(Response.Status.CREATED)
                .entity(new WebhookView(webhook.id, webhook.url, webhook.createdBy, webhook.createdAt, webhook.secret)).build();
    }

    /** Why the URL's host may not be called now (it does not resolve, or resolves to an address not allowed), or empty. */
    private static Optional<String> reachable(WebhookDestinations destinations, String url) {
        try {
            destinations.resolve(URI.create(url).getHost());
            return Optional.empty();
        } catch (WebhookDestinations.Refused e) {
            return Optional.of(e.retryable() ? "the host's name does not resolve; check the address"
                    : "the address is loopback, link-local, private or reserved; webhooks reach public addresses only "
                            + "(the operator can allow private destinations)");
        }
    }

    /** "https://hooks.slack.com/…": the scheme and host of a webhook URL, for people who may not see the rest. */
    public static String hostOnly(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + "/\u2026";
        } catch (IllegalArgumentException e) {
            return "(a webhook)";
        }
    }

    @DELETE
    @Path("/{webhookId}")
    @Transactional
    @Operation(summary = "Stop calling a webhook")
    public Response remove(@PathParam("webhookId") UUID webhookId) {
        Webhook webhook = Webhook.<Webhook> find("id = ?1 and providerId = ?2", webhookId, providerId()).firstResultOptional()
                .orElseThrow(() -> new NotFound("No such webhook of your provider"));
        webhook.delete();
        audit.record(caller.get(), new AuditLog.Change("webhook.removed", "webhook", webhook.id.toString(),
                new Tenancy(webhook.providerId, null, null), Map.of("url", hostOnly(webhook.url)), null));
        return Response.noContent().build();
    }

    private UUID providerId() {
        return caller.get().scope().providerId();
    }
}
