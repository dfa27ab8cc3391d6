package io.rampart.controlplane.fleet;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** When each agent last called in (a projection of agent-events). */
@Entity
@Table(name = "agent_presence")
public class AgentPresence extends PanacheEntityBase {

    @Id
    public UUID agentId;
    public UUID providerId;
    public UUID groupId;
    public UUID practiceId;
    public String hostname;
    public String agentVersion;
    public Instant lastSeenAt;
    /** How far the agent's clock was ahead of the control plane's at its latest batch (negative: behind), ms; null: unknown. */
    public Long clockOffsetMs;
    /**
     * Events the agent holds aside because the control plane refused them as unstorable, from its latest heartbeat;
     * null (read as 0) before its first heartbeat that could say.
     */
    public Long eventsSetAside;
    /** When the oldest of those was set aside, on the agent's clock; null when none. */
    public Instant oldestSetAsideAt;

    /** The events set aside, 0 when the agent never said. */
    public long setAside() {
        return eventsSetAside == null ? 0 : eventsSetAside;
    }
}
