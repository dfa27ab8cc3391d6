package io.rampart.controlplane.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestEvidence;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * Every REST endpoint that takes a body (each POST and PUT of the *Resource classes), sent
 * arbitrary JSON ({@link JsonFuzz}: not JSON, wrong types, huge numbers, NUL characters, deep
 * nesting, fields missing or extra, huge strings, impossible dates, durations and time zones) by
 * each role: never a 5xx; every 4xx about the body says what is wrong in words (a detail that is not
 * a Java class name or a stack trace) and names the field when one field was given a bad value;
 * and afterwards the fleet projection still applies a good event. The seed is printed and taken
 * from {@code -Dfuzz.seed}; {@code -Dfuzz.bodies} bodies per endpoint and person
 * (default 25).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class RestBodyFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final int BODIES = Integer.getInteger("fuzz.bodies", 25);
    /** provider admin, technician, group manager, practice manager (the demo realm's). */
    static final List<String> PEOPLE = List.of("alice", "tom", "grace", "pat");

    record Endpoint(String method, String path, List<String> fields) {
    }

    @Inject
    TestFleet fleet;
    @Inject
    TestEvidence evidence;

    @Test
    void noBodyMakesAnyEndpointFailWithAServerErrorAndEveryRefusalSaysWhatIsWrong() {
        Practice practice = fleet.newPractice("Fuzz Surgery " + UUID.randomUUID());
        String p = "/api/practices/" + practice.id;
        String g = "/api/groups/" + practice.groupId;
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", g + "/practices", List.of("name")),
                new Endpoint("POST", p + "/enrolment-tokens", List.of("validForHours")),
                new Endpoint("POST", "/api/agents/" + UUID.randomUUID() + "/revoke", List.of()),
                new Endpoint("PUT", g + "/policy", List.of("document", "comment", "basedOnVersion")),
                new Endpoint("POST", "/api/policies/validate", List.of("version", "rules", "checks")),
                new Endpoint("POST", p + "/plan-reviews", List.of("reviewedBy", "reviewedAt", "note", "documentUrl")),
                new Endpoint("POST", p + "/exceptions", List.of("ruleId", "reason", "approvedBy", "until")),
                new Endpoint("POST", "/api/policy-templates", List.of("name", "document")),
                new Endpoint("PUT", "/api/policy-templates/" + UUID.randomUUID(), List.of("name", "document")),
                new Endpoint("POST", p + "/contacts", List.of("name", "email", "role")),
                new Endpoint("POST", g + "/contacts", List.of("name", "email", "role")),
                new Endpoint("PUT", "/api/notification-settings", List.of("onCallEmail", "escalateAfter", "digestEmail", "timeZone",
                        "digestTime")),
                new Endpoint("POST", "/api/webhooks", List.of("url")),
                new Endpoint("POST", "/api/alerts/" + UUID.randomUUID() + "/acknowledge", List.of("note")),
                new Endpoint("PUT", g + "/notification-settings", List.of("alertOnAtRisk", "quietHours", "criticalRules", "timeZone",
                        "digestTime")));
        System.out.println("RestBodyFuzzTest seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        String providerSettings = asAlice().get("/api/notification-settings").then().statusCode(200).extract().asString();
        Set<String> webhooksBefore = new HashSet<>(asAlice().get("/api/webhooks").then().statusCode(200).extract().jsonPath().getList("id"));
        Set<String> templatesBefore = new HashSet<>(asAlice().get("/api/policy-templates").then().statusCode(200).extract().jsonPath()
                .getList("id"));

        JsonFuzz fuzz = new JsonFuzz(SEED);
        List<String> problems = new ArrayList<>();
        int sent = 0;
        try {
            for (Endpoint endpoint : endpoints) {
                for (String person : PEOPLE) {
                    for (int i = 0; i < BODIES; i++) {
                        JsonFuzz.Body body = fuzz.next(endpoint.fields());
                        Response response = given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                                .defaultCharsetForContentType(StandardCharsets.UTF_8.name(), "application/json")))
                                .auth().oauth2(Tokens.of(person)).contentType("application/json").body(body.json().getBytes(StandardCharsets.UTF_8))
                                .request(endpoint.method(), endpoint.path());
                        sent++;
                        String problem = judge(endpoint, body, response);
                        if (problem != null) {
                            problems.add(person + " " + endpoint.method() + " " + endpoint.path() + " " + abbreviate(body.json()) + " -> "
                                    + response.statusCode() + " " + abbreviate(response.asString()) + ": " + problem);
                        }
                    }
                }
            }
        } finally {
            restore(providerSettings, webhooksBefore, templatesBefore);
        }
        System.out.printf("RestBodyFuzzTest: %d bodies to %d endpoints as %d people, %d problems%n", sent, endpoints.size(), PEOPLE.size(),
                problems.size());
        assertThat(problems).as("seed " + SEED).isEmpty();

        // the consumers are not stalled: a good event is still projected (reportNasCopy returns once it is)
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        evidence.reportNasCopy(practice, now, now.minus(2, ChronoUnit.HOURS));
    }

    /** A JSON object that gives a member twice (allowed by RFC 8259, "names SHOULD be unique") is refused naming it. */
    @Test
    void aBodyThatGivesAFieldTwiceIsRefusedNamingIt() {
        Practice practice = fleet.newPractice("Duplicate Surgery " + UUID.randomUUID());
        given().auth().oauth2(Tokens.of("alice")).contentType("application/json").body("{\"name\":\"A\",\"name\":\"B\"}")
                .post("/api/groups/" + practice.groupId + "/practices").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("name"));
    }

    /** What is wrong with this answer to this body, or null when it is a fair answer. */
    static String judge(Endpoint endpoint, JsonFuzz.Body body, Response response) {
        int status = response.statusCode();
        if (status >= 500) {
            return "a server error";
        }
        if (status < 400 || status == 401 || status == 403) {
            return null; // accepted, or refused for who is asking, before the body matters
        }
        String answer = response.asString();
        String detail;
        try {
            detail = response.jsonPath().getString("detail");
        } catch (RuntimeException notJson) {
            return "a refusal that is not problem+json";
        }
        if (detail == null || detail.isBlank()) {
            return "a refusal with no detail";  // Bean Validation's refusals too: they come as problem+json with errors
        }
        String lower = answer.toLowerCase(Locale.ROOT);
        for (String internal : List.of("java.", "com.fasterxml", "io.rampart.", "exception:", "\tat ", "org.hibernate", "jakarta.")) {
            if (lower.contains(internal)) {
                return "a refusal that shows the server's internals (" + internal.strip() + ")";
            }
        }
        if (status == 400 && body.badField() != null && endpoint.fields().stream().noneMatch(answer::contains)) {
            return "a refusal that does not name the field (" + body.badField() + " had a bad value)";
        }
        return null;
    }

    private static void restore(String providerSettings, Set<String> webhooksBefore, Set<String> templatesBefore) {
        Map<String, Object> settings = io.restassured.path.json.JsonPath.from(providerSettings).getMap("");
        asAlice().contentType("application/json").body(settings).put("/api/notification-settings");
        for (Object id : asAlice().get("/api/webhooks").then().extract().jsonPath().getList("id")) {
            if (!webhooksBefore.contains(id)) {
                asAlice().delete("/api/webhooks/" + id);
            }
        }
        for (Object id : asAlice().get("/api/policy-templates").then().extract().jsonPath().getList("id")) {
            if (!templatesBefore.contains(id)) {
                asAlice().delete("/api/policy-templates/" + id);
            }
        }
    }

    private static io.restassured.specification.RequestSpecification asAlice() {
        return given().auth().oauth2(Tokens.of("alice"));
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 160 ? flat : flat.substring(0, 160) + "...(" + flat.length() + " chars)";
    }
}
