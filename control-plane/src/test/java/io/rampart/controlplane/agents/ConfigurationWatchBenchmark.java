package io.rampart.controlplane.agents;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.WatchingAgent;

/**
 * How long a configuration change takes to reach the agents watching it: many agents (each enrolled with its own
 * certificate, on its own mutual-TLS connection) watch their practices; changes are made one after another, half
 * through the REST API on this replica (a practice's source) and half as another replica makes them (a group's check
 * plus its configuration_change row, seen by the 1-second poll). Prints p50/p99 from the change to each affected
 * agent's arrival, per path, and how many configurations were computed. Prints, never asserts a speed. Run with:
 * {@code ./mvnw -o -pl control-plane test -Dskip.npm -Dtest=ConfigurationWatchBenchmark -Dbenchmark=true
 * [-Dbenchmark.agents=200 -Dbenchmark.practices=40 -Dbenchmark.changes=60]}
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ConfigurationWatchBenchmark {

    private static final int AGENTS = Integer.getInteger("benchmark.agents", 200);
    private static final int PRACTICES = Integer.getInteger("benchmark.practices", 40);
    private static final int CHANGES = Integer.getInteger("benchmark.changes", 60);
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

    @Inject
    TestFleet fleet;
    @Inject
    EntityManager entityManager;
    @Inject
    MeterRegistry meters;

    @Test
    void changeToAgentLatency() throws Exception {
        Practice first = fleet.newPractice("Watch bench 0");
        List<Practice> practices = new ArrayList<>(List.of(first));
        for (int i = 1; i < PRACTICES; i++) {
            practices.add(fleet.newPracticeIn(first.groupId, "Watch bench " + i));
        }
        long enrolStart = System.nanoTime();
        List<WatchingAgent> agents = new ArrayList<>();
        Map<java.util.UUID, List<WatchingAgent>> byPractice = new java.util.HashMap<>();
        try {
            for (int i = 0; i < AGENTS; i++) {
                Practice practice = practices.get(i % practices.size());
                WatchingAgent agent = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "bench-" + i);
                agents.add(agent);
                byPractice.computeIfAbsent(practice.id, id -> new ArrayList<>()).add(agent);
            }
            for (WatchingAgent agent : agents) {
                agent.next(WAIT);
            }
            long enrolled = System.nanoTime() - enrolStart;
            double computedBefore = meters.counter("rampart.agents.configuration.computed").count();

            List<Long> local = new ArrayList<>();
            List<Long> feed = new ArrayList<>();
            for (int change = 0; change < CHANGES; change++) {
                if (change % 2 == 0) {
                    Practice practice = practices.get((change / 2) % practices.size());
                    long start = System.nanoTime();
                    given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                            .body("{\"settings\": {\"path\": \"/mnt/nas/bench-" + change + "\"}}")
                            .put("/api/practices/" + practice.id + "/sources/nas-copy").then().statusCode(200);
                    for (WatchingAgent agent : byPractice.get(practice.id)) {
                        local.add(agent.next(WAIT).nanoTime() - start);
                    }
                } else {
                    String checkId = "bench-check-" + change;
                    long start = System.nanoTime();
                    QuarkusTransaction.requiringNew().run(() -> {
                        fleet.addCheck(first.groupId, checkId, "REPORTED_JOB", "{}");
                        entityManager.createNativeQuery("insert into configuration_change (provider_id, group_id) values (?1, ?2)")
                                .setParameter(1, first.providerId).setParameter(2, first.groupId).executeUpdate();
                    });
                    for (WatchingAgent agent : agents) {
                        feed.add(agent.next(WAIT).nanoTime() - start);
                    }
                }
            }
            double computed = meters.counter("rampart.agents.configuration.computed").count() - computedBefore;
            System.out.printf("ConfigurationWatchBenchmark: %d agents watching %d practices (enrolled and watching in %.1f s); %d changes%n",
                    AGENTS, PRACTICES, enrolled / 1e9, CHANGES);
            System.out.printf("ConfigurationWatchBenchmark: a practice's source over REST (this replica), %d arrivals: p50 %d ms, p99 %d ms, max %d ms%n",
                    local.size(), percentile(local, 50), percentile(local, 99), percentile(local, 100));
            System.out.printf(
                    "ConfigurationWatchBenchmark: a group's check committed by another replica (1 s poll), %d arrivals: p50 %d ms, p99 %d ms, max %d ms%n",
                    feed.size(), percentile(feed, 50), percentile(feed, 99), percentile(feed, 100));
            System.out.printf("ConfigurationWatchBenchmark: %.0f practice configurations computed for %d arrivals%n", computed,
                    local.size() + feed.size());
        } finally {
            agents.forEach(WatchingAgent::close);
        }
    }

    private static long percentile(List<Long> nanos, int percentile) {
        List<Long> sorted = nanos.stream().sorted().collect(Collectors.toList());
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, index)));
    }
}
