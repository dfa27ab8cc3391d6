package io.rampart.controlplane.tenancy;

import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Session", description = "Who is signed in, and where to sign in")
public class MeResource {

    @Inject
    CurrentCaller caller;
    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;
    @Inject
    RampartConfig config;

    public record Me(String username, String name, @Schema(enumeration = {
            Role.OPERATOR, Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE }) String role,
            @Schema(nullable = true) UUID providerId, @Schema(nullable = true) UUID groupId, @Schema(nullable = true) UUID practiceId){
    }

    public record AuthConfig(String issuer, String clientId) {
    }

    @GET
    @Path("/me")
    @RolesAllowed({ Role.OPERATOR, Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Operation(summary = "The signed-in person: name, role and where in the tenancy (none for a platform operator)")
    public Me me() {
        Caller me = caller.get();
        if (me.isOperator()) {
            return new Me(me.username(), me.name(), me.role().claimValue(), null, null, null);
        }
        return new Me(me.username(), me.name(), me.role().claimValue(), me.scope().providerId(), me.scope().groupId(),
                me.scope().practiceId());
    }

    @GET
    @Path("/auth-config")
    @PermitAll
    @Operation(summary = "Where the web UI signs in (OpenID Connect issuer and client id); needs no sign-in")
    public AuthConfig authConfig() {
        return new AuthConfig(issuer, config.web().clientId());
    }
}
