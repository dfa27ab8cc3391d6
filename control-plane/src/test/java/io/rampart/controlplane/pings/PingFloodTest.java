package io.rampart.controlplane.pings;

import static io.rampart.controlplane.pings.PingTesting.path;
import static io.rampart.controlplane.pings.PingTesting.pingUrl;
import static io.rampart.controlplane.pings.PingTesting.practiceWithPingedJob;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * The unauthenticated /ping endpoint under a flood (random ids with bodies, and one practice's looping script on its
 * own URL, at once): refused in memory before any database work, while the web API every tenant uses still answers
 * (finding 4 of notes/i14-review.md; DESIGN: nothing one tenant sends stops another).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PingFloodTest {

    private static final int UNKNOWN_PINGS = 400;
    private static final int KNOWN_PINGS = 60;

    @TestHTTPResource("/")
    URI base;
    @Inject
    TestFleet fleet;
    @Inject
    PingRateLimiter limiter;
    @Inject
    MeterRegistry meters;

    @AfterEach
    void everyBudgetFullAgain() {
        limiter.reset();
    }

    @Test
    void aFloodOfUnknownIdsAndOfOneKnownIdIsRefusedInMemoryWhileTheWebApiStillAnswers() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Flood Lane Surgery", Duration.ofHours(1));
        String known = path(pingUrl(practice));
        ExecutorService threads = Executors.newFixedThreadPool(32);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads)
                .connectTimeout(Duration.ofSeconds(10)).build();
        byte[] body = new byte[64 * 1024];
        double lookupsBefore = refused("not_found");
        // the fleet page's first call in this JVM plans its queries; the second is how long it takes without a flood
        // on this machine, so that what is measured below is the flood's effect and not a busy build machine's
        given().auth().oauth2(Tokens.of("alice")).get("/api/fleet/compliance").then().statusCode(200);
        long quietStarted = System.nanoTime();
        given().auth().oauth2(Tokens.of("alice")).get("/api/fleet/compliance").then().statusCode(200);
        Duration quiet = Duration.ofNanos(System.nanoTime() - quietStarted);
        try {
            List<CompletableFuture<HttpResponse<String>>> unknown = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> ownUrl = new ArrayList<>();
            for (int i = 0; i < UNKNOWN_PINGS; i++) {
                unknown.add(http.sendAsync(post("/ping/" + UUID.randomUUID() + "/fail", body), BodyHandlers.ofString()));
                if (i % (UNKNOWN_PINGS / KNOWN_PINGS) == 0 && ownUrl.size() < KNOWN_PINGS) {
                    ownUrl.add(http.sendAsync(post(known + "/log", body), BodyHandlers.ofString()));
                }
            }
            // meanwhile every tenant's web API, which reads the same database, answers at once
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                given().auth().oauth2(Tokens.of("alice")).get("/api/fleet/compliance").then().statusCode(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("GET /api/fleet/compliance during the flood (%s without it)", quiet)
                        .isLessThan(Duration.ofSeconds(5).plus(quiet.multipliedBy(4)));
            }
            Map<Integer, Long> unknownAnswers = statuses(unknown);
            Map<Integer, Long> ownAnswers = statuses(ownUrl);

            assertThat(unknownAnswers.keySet()).as("answers to random ids").isSubsetOf(404, 429, 503);
            // the address's burst is 200, refilled by 10 a second while the flood lasts
            assertThat(unknownAnswers.getOrDefault(429, 0L)).as("random ids from one address above its burst are 429")
                    .isGreaterThanOrEqualTo(100);
            assertThat(refused("not_found") - lookupsBefore).as("random ids looked up in the database")
                    .isLessThanOrEqualTo(300);
            assertThat(ownAnswers.keySet()).as("answers to the known id").isSubsetOf(200, 429, 503);
            assertThat(ownAnswers.getOrDefault(200, 0L)).as("the known id's own burst").isLessThanOrEqualTo(10);
            assertThat(unknown.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).findFirst().orElseThrow().body())
                    .isEqualTo("rate limited: at most 200 pings at once and 600 per minute from one address; nothing was recorded, retry later");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anIdAnsweredNotFoundIsAnsweredSoAgainWithoutADatabaseQuery() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String nobodys = "/ping/" + UUID.randomUUID();
        double lookups = refused("not_found");
        double remembered = refused("not_found_remembered");

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = http.send(post(nobodys, new byte[0]), BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).isEqualTo("not found");
        }

        assertThat(refused("not_found") - lookups).isEqualTo(1);
        assertThat(refused("not_found_remembered") - remembered).isEqualTo(4);
    }

    private HttpRequest post(String path, byte[] body) {
        return HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(body)).build();
    }

    private double refused(String reason) {
        var counter = meters.find("rampart.pings.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Map<Integer, Long> statuses(List<CompletableFuture<HttpResponse<String>>> answers) {
        return answers.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
