package io.rampart.controlplane.fleet;

import java.util.List;
import java.util.UUID;

/**
 * The fleet projection stored new events (results, heartbeats) of these practices: what depends on the evidence
 * (compliance's next evaluation) may react. Fired synchronously, inside the projection's transaction, so an observer's
 * writes commit or roll back with the events; practice ids once each, in ascending order.
 */
public record NewEvidence(List<UUID> practiceIds) {
}
