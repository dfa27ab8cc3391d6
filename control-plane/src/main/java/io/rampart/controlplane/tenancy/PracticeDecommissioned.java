package io.rampart.controlplane.tenancy;

import java.time.Instant;

import io.rampart.controlplane.shared.Tenancy;

/**
 * A practice was decommissioned, announced synchronously inside the decommissioning transaction, so that each
 * feature does its part in its own tables (agents revoked, alerts closed without email) or the whole change
 * rolls back. {@code by} is the username of the person who did it; {@code reason} may be null.
 */
public record PracticeDecommissioned(Tenancy practice, Instant at, String by, String reason) {
}
