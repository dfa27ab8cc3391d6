package io.rampart.controlplane.web;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Browser-facing hardening for everything the control plane serves. The web UI talks only to
 * its own origin and to the identity provider (for sign-in and token refresh), so the content
 * security policy allows exactly those. No CORS headers are sent: the UI is same-origin.
 */
@ApplicationScoped
public class SecurityHeaders {

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    void install(@Observes Router router) {
        String identityProvider = origin(issuer);
        String policy = String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                // Mantine sets style attributes at run time
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data:",
                "connect-src 'self' " + identityProvider,
                "frame-src " + identityProvider,
                "frame-ancestors 'none'",
                "base-uri 'self'",
                "form-action 'self' " + identityProvider);
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            context.addHeadersEndHandler(ignored -> {
                var headers = context.response().headers();
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("X-Frame-Options", "DENY");
                headers.set("Referrer-Policy", "no-referrer");
                headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                // Quarkus' own pages (Swagger UI) bring inline scripts; the policy guards the web UI and the API
                if (!context.normalizedPath().startsWith("/q/")) {
                    headers.set("Content-Security-Policy", policy);
                }
                if (context.normalizedPath().startsWith("/api/")) {
                    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
                }
            });
            context.next();
        });
    }

    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }
}
