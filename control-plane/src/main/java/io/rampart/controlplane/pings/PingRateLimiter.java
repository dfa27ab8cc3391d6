package io.rampart.controlplane.pings;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.controlplane.RampartConfig;

/**
 * A token bucket per ping URL (rampart.pings.rate-per-minute, rate-burst): a looping script is answered 429 with
 * Retry-After instead of flooding the event log. healthchecks.io answers such pings 200 "OK (rate-limited)" and drops
 * them; a dropped fail is a missed failure, so Rampart says so and curl --retry, runitor and PowerShell can tell.
 * Per replica, in memory.
 */
@ApplicationScoped
public class PingRateLimiter {

    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    /** Takes a token for the URL (its row id); @return empty when taken, else how long until one is there (at least 1 s). */
    Optional<Duration> tryTake(UUID pingUrlId) {
        RampartConfig.Pings limits = config.pings();
        double perMilli = limits.ratePerMinute() / 60_000.0;
        long now = clock.millis();
        Bucket bucket = buckets.computeIfAbsent(pingUrlId, id -> new Bucket(limits.rateBurst(), now));
        double missing = bucket.tryTake(now, perMilli, limits.rateBurst());
        if (missing <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(missing / perMilli / 1000.0))));
    }

    /** A revoked URL's bucket is of no more use. */
    void forget(UUID pingUrlId) {
        buckets.remove(pingUrlId);
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }

        /** @return 0 when a token was taken, else the share of a token still missing */
        synchronized double tryTake(long now, double perMilli, int burst) {
            tokens = Math.min(burst, tokens + Math.max(0, now - refilledAt) * perMilli);
            refilledAt = now;
            if (tokens < 1) {
                return 1 - tokens;
            }
            tokens -= 1;
            return 0;
        }
    }
}
