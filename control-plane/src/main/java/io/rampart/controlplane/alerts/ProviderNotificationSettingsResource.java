package io.rampart.controlplane.alerts;

import java.time.Clock;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.alerts.DigestEmails.Digest;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings.ProviderSettings;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;

@Path("/api/notification-settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Notification settings", description = "On-call escalation, daily digests, quiet hours and AT_RISK alerts")
public class ProviderNotificationSettingsResource {

    @Inject
    NotificationSettings settings;
    @Inject
    DailyDigests digests;
    @Inject
    CurrentCaller caller;
    @Inject
    Clock clock;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN })
    @Transactional
    @Operation(summary = "Your provider's on-call address, escalation delay and daily digest")
    public ProviderSettings get() {
        return settings.providerSettings(caller.get().scope().providerId());
    }

    @PUT
    @RolesAllowed(Role.ADMIN)
    @Operation(summary = "Set your provider's on-call address (critical alerts nobody acknowledged within escalateAfter, e.g. PT2H, go "
            + "there), its daily digest address and the digest's local time (HH:mm in timeZone)")
    public ProviderSettings update(ProviderSettings request) {
        return settings.update(caller.get(), caller.get().scope().providerId(), request);
    }

    @GET
    @Path("/digest")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN })
    @Operation(summary = "Your provider's daily digest as it would be emailed now")
    public Digest digest() {
        return digests.providerDigest(caller.get().scope().providerId(), clock.instant());
    }
}
