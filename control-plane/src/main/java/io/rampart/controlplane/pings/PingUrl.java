package io.rampart.controlplane.pings;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The ping URL of one reported-job check at one practice (table ping_url), and the state its pings built: the run a
 * start opened and the last success or fail. At most one live (not revoked) row per practice and check.
 */
@Entity
@Table(name = "ping_url")
public class PingUrl extends PanacheEntityBase {

    /** The row's id: what events (as their agent id) and the audit log name. Never the secret. */
    @Id
    public UUID id;
    /** The secret in /ping/&lt;pingId&gt;. */
    public UUID pingId;
    public UUID providerId;
    public UUID practiceId;
    public String checkId;
    public Instant createdAt;
    public String createdBy;
    public Instant revokedAt;
    public String revokedBy;
    /** When the open run's start ping came; null when no run is open. */
    public Instant runStartedAt;
    /** The open run's rid (?rid=), null when it gave none. */
    public UUID runId;
    public Instant lastFinishedAt;
    /** Whether the last finish was a fail; null before the first finish. */
    public Boolean lastFailed;
    public Integer lastExitStatus;
    /** The last finish's log excerpt as UTF-8 text (PingRuns.excerpt). */
    public String lastMessage;
    /** Start to finish of the last run, in milliseconds, when its start was known; else null. */
    public Long lastDurationMs;
    public Instant lastPingAt;

    public boolean live() {
        return revokedAt == null;
    }
}
