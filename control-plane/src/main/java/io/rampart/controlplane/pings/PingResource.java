package io.rampart.controlplane.pings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;

import io.rampart.controlplane.RampartConfig;

/**
 * The healthchecks.io ping API (hc/api/urls.py and views.py), so that curl, wget, borgmatic's healthchecks hook,
 * runitor and PowerShell work unchanged: GET, HEAD or POST /ping/&lt;id&gt; (success), /ping/&lt;id&gt;/start,
 * /ping/&lt;id&gt;/fail, /ping/&lt;id&gt;/log, /ping/&lt;id&gt;/&lt;exit status 0-255&gt;, with an optional ?rid=&lt;uuid&gt;.
 * No sign-in: the id is the secret. Answers: 200 "OK" (with Ping-Body-Limit), 404 "not found" (unknown or revoked id,
 * or not a lower-case hyphenated UUID), 400 "invalid url format" (exit status above 255) or "invalid uuid format" (rid),
 * 429 "rate limited" with Retry-After (per ping URL and per client address), 503 "busy" with Retry-After when more
 * than rampart.pings.max-concurrent pings are being recorded. The body, of any content type and not necessarily UTF-8, is kept up to
 * rampart.pings.body-limit-bytes (the rest is ignored, as healthchecks does).
 */
@Path("/ping")
@PermitAll
@Tag(name = "Pings", description = "healthchecks.io-compatible ping URLs of reported-job checks")
public class PingResource {

    private static final Pattern PING_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern EXIT_STATUS = Pattern.compile("[0-9]{1,9}");
    private static final int MAX_USER_AGENT_CHARS = 200;

    private static final Logger LOG = Logger.getLogger(PingResource.class);

    @Inject
    Pings pings;
    @Inject
    RampartConfig config;
    @Inject
    PingRateLimiter limiter;
    @Inject
    MeterRegistry meters;
    @Context
    HttpServerRequest http;

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Success (GET and HEAD): the job finished well")
    public Response get(@PathParam("id") String id, @QueryParam("rid") String rid) {
        return ping(id, "", rid, null);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Success with the job's log as the body (any content type)")
    public Response post(@PathParam("id") String id, @QueryParam("rid") String rid, InputStream body) {
        return ping(id, "", rid, body);
    }

    @GET
    @Path("{id}/{action: [^/]*}")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "start, fail, log or an exit status (0 success, 1-255 failure); an empty action (trailing slash) is success")
    public Response getAction(@PathParam("id") String id, @PathParam("action") String action, @QueryParam("rid") String rid) {
        return ping(id, action, rid, null);
    }

    @POST
    @Path("{id}/{action: [^/]*}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "start, fail, log or an exit status with the job's log as the body (any content type)")
    public Response postAction(@PathParam("id") String id, @PathParam("action") String action, @QueryParam("rid") String rid,
            InputStream body) {
        return ping(id, action, rid, body);
    }

    /**
     * The path is checked, then PingRateLimiter admits the ping in memory (an id unknown a moment ago, the client
     * address's and the id's budgets), then the body is read (at most the body limit kept, the rest read and dropped),
     * and only then does the ping take one of the max-concurrent turns in the database: nobody without a live id, and
     * no looping script, can hold the connection pool every tenant shares.
     */
    private Response ping(String id, String action, String rid, InputStream body) {
        if (!PING_ID.matcher(id).matches()) {
            return answer(404, "not found");
        }
        PingRuns.Action what;
        Long exitStatus = null;
        switch (action) {
            case "" -> what = PingRuns.Action.SUCCESS;
            case "start" -> what = PingRuns.Action.START;
            case "fail" -> what = PingRuns.Action.FAIL;
            case "log" -> what = PingRuns.Action.LOG;
            default -> {
                if (!EXIT_STATUS.matcher(action).matches()) {
                    return answer(404, "not found");
                }
                what = PingRuns.Action.SUCCESS;
                exitStatus = Long.parseLong(action);
            }
        }
        // the peer, or the first X-Forwarded-For entry only when quarkus.http.proxy trusts the proxy that sent it
        String remote = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        Optional<PingRateLimiter.Refusal> refusal = limiter.admit(id, remote);
        if (refusal.isPresent()) {
            return refusedBeforeTheDatabase(refusal.get());
        }
        byte[] kept;
        try {
            kept = readCapped(body, config.pings().bodyLimitBytes());
        } catch (IOException e) {
            return answer(400, "the request body could not be read (" + e.getMessage() + "); nothing was recorded");
        }
        String userAgent = http.getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT_CHARS) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT_CHARS);
        }
        if (!limiter.enter()) {
            refusedCounter("busy").increment();
            return Response.fromResponse(answer(503, "busy: more than " + config.pings().maxConcurrent()
                    + " pings at once are being recorded; nothing was recorded, retry in a second")).header("Retry-After", 1).build();
        }
        Pings.Outcome outcome;
        try {
            outcome = pings.ping(new Pings.Request(UUID.fromString(id), what, exitStatus, rid, kept,
                    http.method().name().toUpperCase(Locale.ROOT), remote, userAgent));
        } catch (Pings.Unstorable e) {
            LOG.error(e.getMessage());
            return answer(500, "the ping could not be stored and nothing of it was kept; retry, and tell your provider if it persists");
        } finally {
            limiter.leave();
        }
        if (outcome instanceof Pings.Accepted) {
            return answer(200, "OK");
        }
        if (outcome instanceof Pings.Invalid invalid) {
            return answer(400, invalid.text());
        }
        limiter.rememberUnknown(id);
        return answer(404, "not found");
    }

    private Response refusedBeforeTheDatabase(PingRateLimiter.Refusal refusal) {
        RampartConfig.Pings limits = config.pings();
        switch (refusal.why()) {
            case UNKNOWN_ID -> {
                refusedCounter("not_found_remembered").increment();
                return answer(404, "not found");
            }
            case ADDRESS -> {
                refusedCounter("rate_limited_address").increment();
                return Response.fromResponse(answer(429, "rate limited: at most " + limits.ratePerAddressBurst() + " pings at once and "
                        + (long) limits.ratePerAddressPerMinute() + " per minute from one address; nothing was recorded, retry later"))
                        .header("Retry-After", refusal.retryAfter().toSeconds()).build();
            }
            default -> {
                refusedCounter("rate_limited").increment();
                return Response.fromResponse(answer(429, "rate limited: at most " + limits.rateBurst() + " pings at once and "
                        + limits.ratePerMinute() + " per minute per ping URL; nothing was recorded, retry later"))
                        .header("Retry-After", refusal.retryAfter().toSeconds()).build();
            }
        }
    }

    private Counter refusedCounter(String reason) {
        return Pings.refusedCounter(meters, reason);
    }

    /**
     * The first {@code limit} bytes of the body (healthchecks keeps the first Ping-Body-Limit bytes too); the rest is read
     * and dropped, never held, so that the client's upload completes and it reads the answer.
     */
    static byte[] readCapped(InputStream body, int limit) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        byte[] kept = body.readNBytes(limit);
        body.transferTo(OutputStream.nullOutputStream());
        return kept;
    }

    private Response answer(int status, String text) {
        return Response.status(status).entity(text).type("text/plain; charset=utf-8")
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Ping-Body-Limit", config.pings().bodyLimitBytes())
                .header("Access-Control-Allow-Origin", "*").build();
    }
}
