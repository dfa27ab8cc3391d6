package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.alerts.DigestEmails.Digest;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings.GroupSettings;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.PracticeGroup;

@Path("/api/groups/{groupId}/notification-settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Notification settings", description = "On-call escalation, daily digests, quiet hours and AT_RISK alerts")
public class GroupNotificationSettingsResource {

    @Inject
    NotificationSettings settings;
    @Inject
    DailyDigests digests;
    @Inject
    GroupPolicies groups;
    @Inject
    CurrentCaller caller;
    @Inject
    Clock clock;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "The group's quiet hours, critical rules, AT_RISK alerts and digest time")
    public GroupSettings get(@PathParam("groupId") UUID groupId) {
        return settings.groupSettings(group(groupId).id);
    }

    @PUT
    @RolesAllowed({ Role.ADMIN, Role.GROUP })
    @Transactional
    @Operation(summary = "Set the group's quiet hours (emails about non-critical rules wait until they end), which rules are critical "
            + "(escalated, never held), whether AT_RISK already opens an alert, and when its group managers get the daily digest")
    public GroupSettings update(@PathParam("groupId") UUID groupId, GroupSettings request) {
        return settings.update(caller.get(), group(groupId), request);
    }

    @GET
    @Path("/digest")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "The group's daily digest as it would be emailed now")
    public Digest digest(@PathParam("groupId") UUID groupId) {
        return digests.groupDigest(group(groupId), clock.instant());
    }

    private PracticeGroup group(UUID groupId) {
        return groups.groupIn(caller.get().scope(), groupId).orElseThrow(NotVisible::group);
    }
}
