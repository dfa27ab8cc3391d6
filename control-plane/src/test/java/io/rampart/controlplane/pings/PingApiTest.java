package io.rampart.controlplane.pings;

import static io.rampart.controlplane.pings.PingTesting.CHECK;
import static io.rampart.controlplane.pings.PingTesting.awaitAlert;
import static io.rampart.controlplane.pings.PingTesting.awaitState;
import static io.rampart.controlplane.pings.PingTesting.lastLogged;
import static io.rampart.controlplane.pings.PingTesting.logged;
import static io.rampart.controlplane.pings.PingTesting.path;
import static io.rampart.controlplane.pings.PingTesting.pingUrl;
import static io.rampart.controlplane.pings.PingTesting.practiceWithPingedJob;
import static io.rampart.controlplane.pings.PingTesting.stored;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * The ping API on the wire as healthchecks.io's (the P-cases of notes/i14-research.md): paths, methods, bodies of any
 * content type kept as sent, 404 for what is not a live id, 400 and 429 that change nothing, runs opened by start and
 * closed by finishes as rids say, and a start with no finish within the expected run time judged a hung job.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PingApiTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI base;
    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;
    @Inject
    DesiredConfiguration desired;
    @Inject
    PingLogRetention retention;
    @TempDir
    Path work;

    @Test
    void answersOkWithTheBodyLimitAndKeepsEveryBodyByteForByteWhateverItsContentType() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Wire Street Surgery", Duration.ofHours(1));
        String ping = path(pingUrl(practice));

        HttpResponse<String> get = send("GET", ping, null, "User-Agent", "curl/7.88.1");                     // P1, P31
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("OK");
        assertThat(get.headers().firstValue("Ping-Body-Limit")).hasValue("100000");
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(get.headers().firstValue("Cache-Control")).hasValueSatisfying(cache -> assertThat(cache).contains("no-cache"));
        assertThat(lastLogged(practice)).containsSubsequence("GET", "curl/7.88.1", "SUCCESS");

        assertThat(send("HEAD", ping, null).statusCode()).isEqualTo(200);                                      // P2
        assertThat(lastLogged(practice)[3]).isEqualTo("SUCCESS");

        assertThat(send("POST", ping, bytes("hello")).statusCode()).isEqualTo(200);                           // P3: no Content-Type
        assertThat((byte[]) lastLogged(practice)[0]).isEqualTo(bytes("hello"));

        byte[] form = bytes("a=1&b=2\nline");                                                                    // P4: not form-parsed
        assertThat(send("POST", ping, form, "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(200);
        assertThat((byte[]) lastLogged(practice)[0]).isEqualTo(form);

        assertThat(send("GET", ping + "/", null).statusCode()).isEqualTo(200);                                 // P5
        assertThat(lastLogged(practice)[3]).isEqualTo("SUCCESS");
        assertThat(send("GET", ping + "/0", null).statusCode()).isEqualTo(200);                                // P9
        assertThat(lastLogged(practice)).containsSubsequence("SUCCESS", 0);

        byte[] latin1 = { 'H', 'e', 'l', 'l', 'o', ' ', (byte) 0xe9, ' ', 'W', 'o', 'r', 'l', 'd' };           // P27
        assertThat(send("POST", ping + "/fail", latin1).statusCode()).isEqualTo(200);
        assertThat((byte[]) lastLogged(practice)[0]).isEqualTo(latin1);
        assertThat(stored(practice).lastMessage).isEqualTo("Hello \uFFFD World");

        assertThat(send("GET", ping, null, "User-Agent", "u".repeat(300)).statusCode()).isEqualTo(200);       // P30
        assertThat((String) lastLogged(practice)[2]).hasSize(200);

        byte[] big = new byte[1_100_000];                                                                        // P26: curl's Expect
        Arrays.fill(big, (byte) 'x');
        long before = logged(practice);
        HttpResponse<String> large = HTTP.send(HttpRequest.newBuilder(base.resolve(ping.substring(1))).expectContinue(true)
                .timeout(Duration.ofSeconds(10)).POST(BodyPublishers.ofByteArray(big)).build(), BodyHandlers.ofString());
        // above the control plane's request limit (quarkus.http.limits.max-body-size, 1M) the answer is 413 and nothing is
        // kept: curl -f then fails the cron job visibly; the examples send the log's last 100000 bytes (tail -c)
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(logged(practice)).isEqualTo(before);
        byte[] over = new byte[100_000 + 1_000];                                                                  // P25
        Arrays.fill(over, (byte) 'y');
        assertThat(send("POST", ping, over).statusCode()).isEqualTo(200);
        assertThat((byte[]) lastLogged(practice)[0]).hasSize(100_000);
    }

    @Test
    void unknownRevokedAndMalformedIdsGet404AndBadExitStatusesOrRids400AndNothingIsRecorded() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Refusal Road Clinic", Duration.ofHours(1));
        String first = path(pingUrl(practice));
        String id = first.substring("/ping/".length());
        assertThat(send("GET", first + "/start", null).statusCode()).isEqualTo(200);
        long before = logged(practice);

        assertThat(send("GET", first + "/256", null)).satisfies(r -> assertAnswer(r, 400, "invalid url format"));          // P11
        for (String wrong : new String[] { "/-1", "/abc", "/start/extra" }) {                                                // P12
            assertThat(send("GET", first + wrong, null).statusCode()).as(wrong).isEqualTo(404);
        }
        String unknown = "/ping/" + UUID.randomUUID();
        assertThat(send("GET", unknown, null)).satisfies(r -> assertAnswer(r, 404, "not found"));                          // P13
        assertThat(send("POST", unknown + "/fail", bytes("log")).statusCode()).isEqualTo(404);
        assertThat(send("GET", unknown + "/256", null).statusCode()).isEqualTo(404);                                      // P16
        assertThat(send("GET", "/ping/" + id.toUpperCase(), null).statusCode()).isEqualTo(404);                             // P15
        assertThat(send("GET", "/ping/" + id.replace("-", ""), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", first + "?rid=12345", null)).satisfies(r -> assertAnswer(r, 400, "invalid uuid format"));   // P21
        assertThat(logged(practice)).isEqualTo(before);

        String rotated = path(pingUrl(practice));                                                                         // P14
        assertThat(rotated).isNotEqualTo(first);
        assertThat(send("GET", first + "/fail", null)).satisfies(r -> assertAnswer(r, 404, "not found"));
        assertThat(logged(practice)).isEqualTo(before);
        assertThat(stored(practice).lastFailed).as("the revoked id changed nothing").isNull();
        assertThat(stored(practice).runStartedAt).as("the open run carries over to the new id").isNotNull();

        assertThat(send("GET", rotated + "?rid=" + UUID.randomUUID().toString().toUpperCase(), null).statusCode()).isEqualTo(200); // P22
        given().auth().oauth2(Tokens.of("alice")).delete("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(200);
        assertThat(send("GET", rotated, null).statusCode()).isEqualTo(404);
    }

    @Test
    void startsOpenRunsThatFinishesCloseAsTheirRidsSay() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Run Id Row Practice", Duration.ofHours(1));
        String ping = path(pingUrl(practice));
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();

        send("GET", ping + "/start", null);                                                                              // P6
        assertThat(stored(practice).runStartedAt).isNotNull();
        assertThat(stored(practice).lastFinishedAt).isNull();
        send("POST", ping + "/log", bytes("x"));                                                                           // P8
        assertThat(stored(practice).runStartedAt).isNotNull();
        assertThat(lastLogged(practice)[3]).isEqualTo("LOG");

        send("GET", ping + "/start?rid=" + a, null);                                                                      // P17
        send("GET", ping + "?rid=" + a, null);
        assertThat(stored(practice).runStartedAt).isNull();
        assertThat(stored(practice).lastDurationMs).isNotNull();

        send("GET", ping + "/start?rid=" + a, null);                                                                      // P18
        send("GET", ping + "?rid=" + b, null);
        assertThat(stored(practice).runStartedAt).as("run A can still hang").isNotNull();
        assertThat(stored(practice).lastFailed).isFalse();

        send("GET", ping, null);                                                                                          // P19
        assertThat(stored(practice).runStartedAt).isNull();
        assertThat(stored(practice).lastDurationMs).isNull();

        send("GET", ping + "/start?rid=" + a, null);                                                                      // P20
        send("GET", ping + "/fail?rid=" + b, null);
        assertThat(stored(practice).runStartedAt).isNull();
        assertThat(stored(practice).lastFailed).isTrue();

        // another URL: ten pings of one URL at once are its whole burst (the rate-limit test)
        Practice again = practiceWithPingedJob(fleet, "Run Id Row Annex", Duration.ofHours(1));
        String other = path(pingUrl(again));
        send("GET", other + "/start", null);                                                                              // P24
        Instant firstStart = stored(again).runStartedAt;
        assertThat(send("GET", other + "/start", null).statusCode()).isEqualTo(200);
        assertThat(stored(again).runStartedAt).isAfter(firstStart);

        send("GET", other + "/1", null);                                                                                  // P10
        assertThat(stored(again).lastExitStatus).isEqualTo(1);
        assertThat(stored(again).lastFailed).isTrue();
        send("GET", other + "/255", null);
        assertThat(stored(again).lastExitStatus).isEqualTo(255);
    }

    @Test
    void aFailWithALogOpensAnAlertThatQuotesItAndAStartWithNoFinishWithinTheExpectedRunTimeIsAHungJob() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Hung Lane Surgery", Duration.ofHours(1));
        String ping = path(pingUrl(practice));

        send("POST", ping + "/2", bytes("Creating archive\nRepository /srv/missing/repo.borg does not exist.\n"));            // C2
        awaitState(practice, "failed at");
        evidence.evaluateAllDue(Instant.now());
        Map<String, Object> failed = awaitAlert(practice, "OPEN", "Repository /srv/missing/repo.borg does not exist.");
        assertThat((String) failed.get("reason")).startsWith("the last cloud copy job failed: exit status 2, log:");

        send("GET", ping + "/start", null);                                                                                // P23
        awaitState(practice, "has not finished yet");
        send("GET", ping, null);
        awaitState(practice, "succeeded at");
        evidence.evaluateAllDue(Instant.now().plusSeconds(60));
        awaitAlert(practice, "RESOLVED", "");

        send("GET", ping + "/start", null);
        awaitState(practice, "has not finished yet");
        evidence.evaluateAllDue(Instant.now().plus(Duration.ofMinutes(50)));
        evidence.evaluateAllDue(Instant.now().plus(Duration.ofMinutes(70)));
        Map<String, Object> hung = awaitAlert(practice, "OPEN", "did not finish within");
        assertThat((String) hung.get("reason")).startsWith("the cloud copy job started at ").contains(" UTC and did not finish within 1 h")
                .contains("it hung, was killed or its computer went down").contains("the run before it succeeded at");
    }

    @Test
    void overItsBudgetAUrlGets429WithRetryAfterAndChangesNothingWhileOtherUrlsGoOn() throws Exception {
        Practice busy = practiceWithPingedJob(fleet, "Loop Street Practice", Duration.ofHours(1));
        Practice quiet = practiceWithPingedJob(fleet, "Quiet Street Practice", Duration.ofHours(1));
        String ping = path(pingUrl(busy));
        for (int i = 0; i < 10; i++) {                                                                                   // P28
            assertThat(send("GET", ping, null).statusCode()).as("ping %d", i + 1).isEqualTo(200);
        }
        long before = logged(busy);
        HttpResponse<String> limited = send("POST", ping + "/fail", bytes("must not be dropped silently"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).startsWith("rate limited");
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
        assertThat(logged(busy)).isEqualTo(before);
        assertThat(stored(busy).lastFailed).isFalse();
        assertThat(send("GET", path(pingUrl(quiet)), null).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyProviderAdminsSeeTheUrlAndWhileItLivesTheAgentsDoNotRunTheCheck() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Secret Row Surgery", Duration.ofHours(3));
        assertThat(desired.forPractice(practice.id).getChecksList()).extracting(CheckDefinition::getCheckId).contains(CHECK);
        given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(200)
                .body("live", org.hamcrest.Matchers.equalTo(false));
        String url = pingUrl(practice);
        assertThat(desired.forPractice(practice.id).getChecksList()).extracting(CheckDefinition::getCheckId).doesNotContain(CHECK);
        given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(200)
                .body("pingUrl", org.hamcrest.Matchers.equalTo(url)).body("maxRunTimeSeconds", org.hamcrest.Matchers.equalTo(10800))
                .body("examples.cron", org.hamcrest.Matchers.containsString("curl -fsS -m 10 --retry 5 -d '' -o /dev/null " + url + "/start"))
                .body("examples.borgmatic", org.hamcrest.Matchers.containsString("hooks:\n    healthchecks:\n        ping_url: " + url))
                .body("examples.powershell", org.hamcrest.Matchers.containsString("Invoke-RestMethod -Uri \"" + url + "/$code\""));
        given().auth().oauth2(Tokens.of("tom")).get("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(403);
        given().get("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(401);
        given().auth().oauth2(Tokens.of("alice")).post("/api/practices/{p}/checks/{c}/ping", practice.id, "nas-copy").then().statusCode(409);
        given().auth().oauth2(Tokens.of("alice")).delete("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK).then().statusCode(200);
        assertThat(desired.forPractice(practice.id).getChecksList()).extracting(CheckDefinition::getCheckId).contains(CHECK);
    }

    @Test
    void theCronExampleRunByShAndCurlReportsTheJobsExitStatusWithTheEndOfItsLog() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Cron Close Practice", Duration.ofHours(1));
        String url = pingUrl(practice);
        String cron = given().auth().oauth2(Tokens.of("alice")).get("/api/practices/{p}/checks/{c}/ping", practice.id, CHECK)
                .then().statusCode(200).extract().path("examples.cron");
        Path job = Files.writeString(work.resolve("backup.sh"), "#!/bin/sh\necho 'Copying clinical.db'\n"
                + "echo 'rsync: connection unexpectedly closed' >&2\nexit 12\n");
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwx------"));
        // the crontab line without its schedule, run by sh as cron would, against this test server
        String command = cron.lines().filter(line -> !line.startsWith("#")).findFirst().orElseThrow().replaceFirst("^(\\S+\\s+){5}", "")
                .replace("/usr/local/bin/backup.sh", job.toString())
                .replace(url, base.resolve(path(url).substring(1)).toString());
        Process cronJob = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        assertThat(cronJob.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cronJob.exitValue()).as(new String(cronJob.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        PingUrl stored = stored(practice);
        assertThat(stored.lastFailed).isTrue();
        assertThat(stored.lastExitStatus).isEqualTo(12);
        assertThat(stored.lastMessage).isEqualTo("Copying clinical.db\nrsync: connection unexpectedly closed");
        assertThat(stored.lastDurationMs).as("the start and the finish were one run").isNotNull();
        assertThat(lastLogged(practice)[2]).asString().startsWith("curl/");
        assertThat(lastLogged(practice)[1]).as("POST, never the GET a link scanner sends").isEqualTo("POST");
    }

    @Test
    void aPingUrlIsRevokedAndAuditedWhenItsCheckIsRemovedOrChangesKindAndTheAgentsRunTheCheckAgain() throws Exception {
        Practice removed = practiceWithPingedJob(fleet, "Removed Check Surgery", Duration.ofHours(1));
        String removedPing = path(pingUrl(removed));
        assertThat(send("GET", removedPing, null).statusCode()).isEqualTo(200);

        given().auth().oauth2(Tokens.of("alice")).delete("/api/practices/{p}/checks/{c}", removed.id, CHECK).then().statusCode(200);

        assertThat(stored(removed)).as("a live ping URL of the removed check").isNull();
        assertThat(send("GET", removedPing, null)).satisfies(r -> assertAnswer(r, 404, "not found"));
        assertThat(revocation(removed)).containsEntry("actor_username", "alice").hasEntrySatisfying("after_state",
                after -> assertThat((String) after).contains("\"revokedBecause\": \"the practice no longer runs the check \\\"cloud-copy\\\"\""));

        Practice changed = practiceWithPingedJob(fleet, "Changed Kind Surgery", Duration.ofHours(1));
        String changedPing = path(pingUrl(changed));
        assertThat(desired.forPractice(changed.id).getChecksList()).extracting(CheckDefinition::getCheckId).doesNotContain(CHECK);

        given().auth().oauth2(Tokens.of("alice")).contentType("application/json").body("{\"kind\": \"UPS\", \"intervalSeconds\": 300}")
                .put("/api/practices/{p}/checks/{c}", changed.id, CHECK).then().statusCode(200);

        assertThat(stored(changed)).as("a live ping URL of a check that is no reported job any more").isNull();
        assertThat(desired.forPractice(changed.id).getChecksList()).as("the agents run the check again")
                .extracting(CheckDefinition::getCheckId).contains(CHECK);
        assertThat(send("GET", changedPing, null)).satisfies(r -> assertAnswer(r, 404, "not found"));
        assertThat(revocation(changed)).hasEntrySatisfying("after_state",
                after -> assertThat((String) after).contains("is now of kind UPS, not REPORTED_JOB"));
    }

    @Test
    void thePingsOfARotatedUrlAreDeleted30DaysAfterItsRevocationAndTheLiveUrlKeepsItsOwn() throws Exception {
        Practice practice = practiceWithPingedJob(fleet, "Rotation Row Surgery", Duration.ofHours(1));
        send("POST", path(pingUrl(practice)) + "/log", bytes("before the rotation"));
        String live = path(pingUrl(practice));
        send("POST", live + "/log", bytes("after the rotation"));
        assertThat(logged(practice)).isEqualTo(2);

        retention.deleteOld(Instant.now().plus(Duration.ofDays(29)));
        assertThat(logged(practice)).as("within 30 days of the revocation").isEqualTo(2);
        retention.deleteOld(Instant.now().plus(Duration.ofDays(31)));
        assertThat(logged(practice)).as("the live URL's ping only").isEqualTo(1);
    }

    /** The audit record of the practice's ping URL revocation: who, and the state after (as jsonb text). */
    private static Map<String, Object> revocation(Practice practice) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) PingUrl.getEntityManager().createNativeQuery(
                    "select actor_username, cast(after_state as text) from audit_log where action = 'ping-url.revoked' and target_id = ?1")
                    .setParameter(1, practice.id + "/" + CHECK).getSingleResult();
            return Map.<String, Object> of("actor_username", row[0], "after_state", row[1]);
        });
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A request with exactly these headers (no Content-Type unless given, as borgmatic's requests.post sends none). */
    private HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), BodyHandlers.ofString());
    }
}
