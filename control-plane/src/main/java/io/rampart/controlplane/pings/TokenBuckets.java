package io.rampart.controlplane.pings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a ping id, a client address), in memory, bounded in size: when {@code maxKeys} buckets exist,
 * the full ones (idle long enough to have refilled, so forgetting them changes nothing) are dropped; if every bucket is
 * still in use the new key is not limited here (the other limits of PingRateLimiter still hold), so a flood of distinct
 * keys costs at most {@code maxKeys} small objects.
 */
final class TokenBuckets {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int maxKeys;

    TokenBuckets(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /**
     * Takes a token of the key's bucket.
     *
     * @param perMinute tokens added per minute
     * @param burst the bucket's size (and its content when new)
     * @param nowMillis the clock's time, in milliseconds
     * @return empty when taken, else how long until a token is there (at least 1 s)
     */
    Optional<Duration> tryTake(String key, double perMinute, int burst, long nowMillis) {
        double perMilli = perMinute / 60_000.0;
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                buckets.values().removeIf(b -> b.fullAt(nowMillis, perMilli, burst));
                if (buckets.size() >= maxKeys) {
                    return Optional.empty();
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowMillis));
        }
        double missing = bucket.tryTake(nowMillis, perMilli, burst);
        if (missing <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(missing / perMilli / 1000.0))));
    }

    void forget(String key) {
        buckets.remove(key);
    }

    void clear() {
        buckets.clear();
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

        synchronized boolean fullAt(long now, double perMilli, int burst) {
            return tokens + Math.max(0, now - refilledAt) * perMilli >= burst;
        }
    }
}
