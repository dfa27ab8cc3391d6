package io.rampart.controlplane.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rampart.controlplane.shared.PracticeStatus;

/** What the fleet API returns (JSON). */
public final class FleetViews {

    private FleetViews() {
    }

    public record PracticeDetail(UUID id, String name, UUID groupId, String groupName, UUID providerId,
            @Schema(description = "When any of its agents last called in; null before the first call", nullable = true) Instant lastSeenAt,
            List<AgentView> agents,
            List<CheckView> checks, List<EventView> recentEvents,
            @Schema(description = "When the practice was decommissioned (it is then read-only and out of the fleet); null while live",
                    nullable = true) Instant decommissionedAt,
            @Schema(description = "Who decommissioned it (username); null while live", nullable = true) String decommissionedBy,
            @Schema(description = "Why, as the person gave it; may be null", nullable = true) String decommissionReason) {
    }

    /** {@code certificateExpiresAt}: the agent renews its certificate itself at a third of its validity. */
    public record AgentView(UUID id, String hostname, String agentVersion, String operatingSystem, Instant enrolledAt,
            @Schema(nullable = true) Instant lastSeenAt, boolean revoked, @Schema(nullable = true) Instant certificateExpiresAt,
            @Schema(description = "How far the agent's clock was ahead of the control plane's at its latest call (negative: "
                    + "behind), in seconds; null when unknown", nullable = true) Long clockOffsetSeconds,
            @Schema(description = "Events the agent holds aside because the control plane refused them as unstorable (from "
                    + "its latest heartbeat); 0 when none") long eventsSetAside,
            @Schema(description = "When the oldest of those was set aside, on the agent's clock; null when none", nullable = true) Instant oldestSetAsideAt) {
    }

    public record CheckView(String checkId, String kind, PracticeStatus status, String summary, Instant observedAt,
            Map<String, Object> details) {
    }

    public record EventView(UUID eventId, String type, @Schema(nullable = true) String checkId,
            @Schema(nullable = true) PracticeStatus status, String summary,
            Instant occurredAt, Instant receivedAt) {
    }
}
