package io.rampart.controlplane.agents;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.grpc.Status;

import io.rampart.controlplane.RampartConfig;

/**
 * A token bucket per agent: a misbehaving or looping agent is slowed down with
 * RESOURCE_EXHAUSTED (which agents treat as "back off") instead of crowding out the others.
 * Per replica, in memory: good enough to stop a runaway agent, not a billing meter.
 */
@ApplicationScoped
public class AgentRateLimiter {

    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public void acquire(UUID agentId) {
        RampartConfig.Agents limits = config.agents();
        Bucket bucket = buckets.computeIfAbsent(agentId, id -> new Bucket(limits.rateBurst(), clock.millis()));
        if (!bucket.tryTake(clock.millis(), limits.ratePerSecond(), limits.rateBurst())) {
            throw new AgentApiException(Status.Code.RESOURCE_EXHAUSTED, "agent " + agentId + " exceeded "
                    + limits.ratePerSecond() + " calls per second (burst " + limits.rateBurst() + "); back off and retry");
        }
    }

    static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }

        synchronized boolean tryTake(long now, double perSecond, int burst) {
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1000.0 * perSecond);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
