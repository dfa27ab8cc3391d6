package io.rampart.controlplane.pings;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rampart.controlplane.RampartConfig;

/**
 * What stands between the unauthenticated /ping endpoint and the database the whole installation shares (its JDBC
 * pool serves every tenant's ingest, rules and web API): all of it in memory, before any transaction, so a looping
 * script or anyone sending random ids cannot take the pool.
 * <ol>
 * <li>An id answered 404 a moment ago is answered 404 again without a query (rampart.pings.unknown-id-cache-seconds).</li>
 * <li>A token bucket per client address (rate-per-address-per-minute, rate-per-address-burst): random ids from one
 * place are 429 after the burst.</li>
 * <li>A token bucket per ping id (rate-per-minute, rate-burst): a looping script is answered 429 with Retry-After
 * instead of flooding the event log. healthchecks.io answers such pings 200 "OK (rate-limited)" and drops them; a
 * dropped fail is a missed failure, so Rampart says so and curl --retry, runitor and PowerShell can tell.</li>
 * <li>At most rampart.pings.max-concurrent pings in the database at once, overall; a ping waits up to 2 s for its
 * turn (a night's burst of cron jobs at 02:30 queues briefly), then is answered 503 with Retry-After.</li>
 * </ol>
 * All per replica: with n replicas behind a load balancer the rates add up to n times these.
 */
@ApplicationScoped
public class PingRateLimiter {

    /** Keys kept per bucket kind: a flood of distinct ids or addresses costs at most this many small objects. */
    static final int MAX_KEYS = 100_000;
    /** How long a ping waits for one of the max-concurrent turns before it is answered 503. */
    static final Duration TURN_WAIT = Duration.ofSeconds(2);

    @Inject
    RampartConfig config;
    @Inject
    Clock clock;

    private final TokenBuckets byPingId = new TokenBuckets(MAX_KEYS);
    private final TokenBuckets byAddress = new TokenBuckets(MAX_KEYS);
    /** Ping ids answered 404, with when that answer expires (epoch milliseconds). */
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();
    private volatile Semaphore turns;

    /** Why a ping was refused before it reached the database. */
    enum Why {
        /** 404: the id was unknown a moment ago. */
        UNKNOWN_ID,
        /** 429: too many pings from the client's address. */
        ADDRESS,
        /** 429: too many pings of this ping URL. */
        PING_URL
    }

    /** A refusal and, for 429, how long until a token is there (at least 1 s). */
    record Refusal(Why why, Duration retryAfter) {
    }

    /**
     * Admits a ping (takes a token of its address and of its id) or says why not; no database.
     *
     * @param pingId the id of the path, already checked to be a lower-case UUID
     * @param address the client's address (null when unknown: then only the id's budget applies)
     */
    Optional<Refusal> admit(String pingId, String address) {
        long now = clock.millis();
        Long unknownUntil = unknown.get(pingId);
        if (unknownUntil != null) {
            if (unknownUntil > now) {
                return Optional.of(new Refusal(Why.UNKNOWN_ID, Duration.ZERO));
            }
            unknown.remove(pingId, unknownUntil);
        }
        RampartConfig.Pings limits = config.pings();
        if (address != null) {
            Optional<Duration> wait = byAddress.tryTake(address, limits.ratePerAddressPerMinute(), limits.ratePerAddressBurst(), now);
            if (wait.isPresent()) {
                return Optional.of(new Refusal(Why.ADDRESS, wait.get()));
            }
        }
        return byPingId.tryTake(pingId, limits.ratePerMinute(), limits.rateBurst(), now).map(wait -> new Refusal(Why.PING_URL, wait));
    }

    /** The id was answered 404: answer it so again without a query for unknown-id-cache-seconds. */
    void rememberUnknown(String pingId) {
        long now = clock.millis();
        if (unknown.size() >= MAX_KEYS) {
            unknown.values().removeIf(until -> until <= now);
            if (unknown.size() >= MAX_KEYS) {
                unknown.clear();
            }
        }
        unknown.put(pingId, now + config.pings().unknownIdCacheSeconds() * 1000L);
        byPingId.forget(pingId);
    }

    /**
     * Waits up to {@link #TURN_WAIT} for one of the max-concurrent turns in the database.
     *
     * @return false when none came free (answer 503); when true, {@link #leave()} must follow
     */
    boolean enter() {
        try {
            return turns().tryAcquire(TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void leave() {
        turns().release();
    }

    /** A revoked URL's budget is of no more use. */
    void forget(java.util.UUID pingId) {
        byPingId.forget(pingId.toString());
    }

    /** For tests: every budget full again, no id remembered as unknown. */
    void reset() {
        byPingId.clear();
        byAddress.clear();
        unknown.clear();
    }

    private Semaphore turns() {
        Semaphore current = turns;
        if (current == null) {
            synchronized (this) {
                if (turns == null) {
                    turns = new Semaphore(config.pings().maxConcurrent(), true);
                }
                current = turns;
            }
        }
        return current;
    }
}
