package io.rampart.controlplane.agents;

import java.util.UUID;

import io.rampart.controlplane.shared.Tenancy;

/** The authenticated agent behind a call: who it is and which practice it may speak for. */
public record AgentIdentity(UUID agentId, Tenancy tenancy) {
}
