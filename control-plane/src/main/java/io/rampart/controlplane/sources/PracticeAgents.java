package io.rampart.controlplane.sources;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The live (not revoked) agents of a practice, as sources needs them to seal secrets to their keys. Declared here and
 * implemented by the agents feature (which owns the agent table and already depends on sources), so that sources
 * does not read agents' rows itself.
 */
public interface PracticeAgents {

    /**
     * @param publicKey the agent's public key as X.509 SubjectPublicKeyInfo (DER bytes); null before it has one
     */
    record LiveAgent(UUID id, String hostname, byte[] publicKey, Instant enrolledAt) {
    }

    /** The practice's live agents, oldest enrolment first; empty for a practice without any (or none that exists). */
    List<LiveAgent> live(UUID practiceId);
}
