package io.rampart.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * How fast the fleet page answers a provider admin with a large fleet: 10,000 practices in 20 groups, 30,000 agents,
 * eleven rule states per practice and 10,000,000 events of history, seeded straight into PostgreSQL by
 * {@code benchmark/fleet-page-seed.sql} (generate_series: minutes, not hours); then every filter and sort the web
 * UI's fleet page offers (web-ui/src/lib/fleetFilters.ts: the four states, a group, a rule not passing, a search,
 * each sort and pages beyond the first) is asked for through the REST API with alice's real token, as the web UI asks
 * (sort, page, size=50 always sent; one kept-alive connection, java.net.http), 5 calls to warm up and then {@code benchmark.calls} (50) timed ones.
 *
 * <p>Prints a table of p50/p95/p99/max in milliseconds per query, and per query a fingerprint of the answer (counts,
 * total, rows with their states, problems and times; everything but generatedAt): the seed is deterministic and
 * dated from {@code benchmark.now}, so two runs (before and after a change of the queries) print the same
 * fingerprints when the answers are the same. Never asserts a speed. Run with:
 * {@code ./mvnw -o -pl control-plane test -Dtest=FleetPageBenchmark -Dbenchmark=true} ({@code -Dbenchmark.hold=true} keeps the
 * seeded database up afterwards, to EXPLAIN a query in psql).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class FleetPageBenchmark {

    private static final int PRACTICES = Integer.getInteger("benchmark.practices", 10_000);
    private static final int AGENTS_PER_PRACTICE = Integer.getInteger("benchmark.agents-per-practice", 3);
    private static final int EVENTS = Integer.getInteger("benchmark.events", 10_000_000);
    private static final int GROUPS = 20;
    private static final int CALLS = Integer.getInteger("benchmark.calls", 50);
    private static final int PAGE_SIZE = 50;
    /** A fixed instant, so that two runs seed the same times and answer the same. */
    private static final Instant NOW = Instant.parse(System.getProperty("benchmark.now", "2026-11-01T00:00:00Z"));
    /** Bench group 05, as the seed names its ids. */
    private static final String GROUP = "00000000-0000-4000-8001-000000000005";

    /** One client keeping its connection open, as a browser does; the time is the server's answer, not a client library's. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/api/fleet/compliance")
    URL endpoint;
    @Inject
    TestFleet fleet;
    @Inject
    DataSource dataSource;

    @Test
    void answersEveryFilterAndSortOfTheFleetPage() throws Exception {
        fleet.seedDemoTenancy();
        seed();
        int lastPage = (PRACTICES - 1) / PAGE_SIZE;
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("default (group, worst first)", "sort=group&page=0&size=50");
        queries.put("sort=state (worst first)", "sort=state&page=0&size=50");
        queries.put("sort=name", "sort=name&page=0&size=50");
        queries.put("sort=lastSeen (longest silent)", "sort=lastSeen&page=0&size=50");
        queries.put("state=FAIL", "state=FAIL&sort=group&page=0&size=50");
        queries.put("state=AT_RISK", "state=AT_RISK&sort=group&page=0&size=50");
        queries.put("state=UNKNOWN", "state=UNKNOWN&sort=group&page=0&size=50");
        queries.put("state=PASS", "state=PASS&sort=group&page=0&size=50");
        queries.put("groupId (500 practices)", "groupId=" + GROUP + "&sort=group&page=0&size=50");
        queries.put("rule=nas-copy (not passing)", "rule=nas-copy&sort=group&page=0&size=50");
        queries.put("rule=restore-test, sort=state", "rule=restore-test&sort=state&page=0&size=50");
        // spaces are written as they are; time() encodes them
        queries.put("q=Harbour (1,000 match)", "q=Harbour&sort=group&page=0&size=50");
        queries.put("q=Surgery 123 (a few match)", "q=Surgery 123&sort=name&page=0&size=50");
        queries.put("q=Bench group 07 (a group's name)", "q=Bench group 07&sort=group&page=0&size=50");
        queries.put("state=FAIL + groupId", "state=FAIL&groupId=" + GROUP + "&sort=state&page=0&size=50");
        queries.put("state=AT_RISK + q=Harbour, lastSeen", "state=AT_RISK&q=Harbour&sort=lastSeen&page=0&size=50");
        queries.put("page 2, group", "sort=group&page=1&size=50");
        queries.put("page 100, group", "sort=group&page=99&size=50");
        queries.put("last page, group", "sort=group&page=" + lastPage + "&size=50");
        queries.put("last page, state", "sort=state&page=" + lastPage + "&size=50");
        queries.put("last page, name", "sort=name&page=" + lastPage + "&size=50");
        queries.put("last page, lastSeen", "sort=lastSeen&page=" + lastPage + "&size=50");
        queries.put("page 10, state=PASS, name", "state=PASS&sort=name&page=9&size=50");

        String token = Tokens.of("alice");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-40s %8s %8s %8s %8s %6s  %s", "query", "p50 ms", "p95 ms", "p99 ms", "max ms", "total", "answer"));
        for (Map.Entry<String, String> query : queries.entrySet()) {
            lines.add(time(token, query.getKey(), query.getValue()));
        }
        System.out.printf("FleetPageBenchmark: the fleet page (GET /api/fleet/compliance, alice, %d timed calls each after 5) over %d "
                + "practices, %d agents, %d events:%n", CALLS, PRACTICES, PRACTICES * AGENTS_PER_PRACTICE, EVENTS);
        lines.forEach(line -> System.out.println("FleetPageBenchmark: " + line));
        if (Boolean.getBoolean("benchmark.hold")) {
            // -Dbenchmark.hold=true keeps the seeded database (and the server) up for EXPLAIN ANALYZE in psql, until killed
            try (Connection connection = dataSource.getConnection()) {
                System.out.printf("FleetPageBenchmark: holding %s (user postgres, password postgres) for 90 minutes%n",
                        connection.getMetaData().getURL());
            }
            Thread.sleep(Duration.ofMinutes(90).toMillis());
        }
    }

    private String time(String token, String label, String query) throws NoSuchAlgorithmException, IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "?" + query.replace(" ", "%20")))
                .header("Authorization", "Bearer " + token).GET().build();
        long[] micros = new long[CALLS];
        String fingerprint = null;
        long total = -1;
        for (int i = -5; i < CALLS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long took = (System.nanoTime() - start) / 1_000;
            assertThat(response.statusCode()).as("%s: %s", label, response.body()).isEqualTo(200);
            String body = response.body();
            if (i >= 0) {
                micros[i] = took;
            } else if (i == -5) {
                JsonPath json = JsonPath.from(body);
                total = json.getLong("total");
                fingerprint = fingerprint(body);
            }
        }
        Arrays.sort(micros);
        return String.format("%-40s %8.1f %8.1f %8.1f %8.1f %6d  %s", label, micros[percentile(50)] / 1e3, micros[percentile(95)] / 1e3,
                micros[percentile(99)] / 1e3, micros[CALLS - 1] / 1e3, total, fingerprint);
    }

    /** The nearest-rank percentile's index in the sorted calls. */
    private static int percentile(int p) {
        return Math.max(0, (int) Math.ceil(p / 100.0 * CALLS) - 1);
    }

    /**
     * The answer hashed: counts, total and every row of the seeded fleet whole; of the demo tenancy's rows (seeded with
     * random ids and the clock's times) only the state. Equal for two runs that answer the same.
     */
    private static String fingerprint(String body) throws NoSuchAlgorithmException {
        JsonPath json = JsonPath.from(body);
        StringBuilder stable = new StringBuilder(json.getMap("counts").toString()).append(json.getLong("total"));
        for (Map<String, Object> row : json.<Map<String, Object>> getList("practices")) {
            stable.append('\n').append(String.valueOf(row.get("id")).startsWith("00000000-0000-4000-8002-") ? row : "demo " + row.get("state"));
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(stable.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 6);
    }

    /** Runs the seed script statement by statement, timing each; the test database is fresh for every run. */
    private void seed() throws IOException, SQLException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/benchmark/fleet-page-seed.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> variables = Map.of("provider", DemoTenancy.NORTHWIND.toString(), "now", NOW.toString(),
                "groups", String.valueOf(GROUPS), "practices", String.valueOf(PRACTICES),
                "agents_per_practice", String.valueOf(AGENTS_PER_PRACTICE), "events", String.valueOf(EVENTS));
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String sql : statements(script, variables)) {
                long began = System.nanoTime();
                statement.execute(sql);
                System.out.printf("FleetPageBenchmark: seed %s: %s%n", sql.lines().findFirst().orElse("").strip(),
                        Duration.ofNanos(System.nanoTime() - began));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("FleetPageBenchmark: seeded %d practices in %d groups, %d agents, %d rule states, %d events in %s%n", PRACTICES,
                GROUPS, PRACTICES * AGENTS_PER_PRACTICE, PRACTICES * 11, EVENTS, took);
        assertThat(took).isPositive();
    }

    private static final Pattern QUOTED = Pattern.compile(":'(\\w+)'");
    private static final Pattern PLAIN = Pattern.compile("(?<![:\\w]):(\\w+)");

    /** psql's :'name' (a quoted literal) and :name (as it is), then one statement per semicolon ending a line. */
    static List<String> statements(String script, Map<String, String> variables) {
        String text = script.lines().filter(line -> !line.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
        text = replace(QUOTED, text, name -> "'" + variables.get(name).replace("'", "''") + "'", variables);
        text = replace(PLAIN, text, variables::get, variables);
        return Arrays.stream(text.split(";\\s*\\n")).map(String::strip).filter(sql -> !sql.isEmpty()).toList();
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<String, String> value,
            Map<String, String> variables) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            matcher.appendReplacement(out, Matcher.quoteReplacement(variables.containsKey(name) ? value.apply(name) : matcher.group()));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
