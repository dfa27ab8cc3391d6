package io.rampart.controlplane.compliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.embedded.DemoTenancy;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;

/**
 * How long recomputing the whole fleet's compliance takes after a policy change: 10,000
 * practices in 10 groups, each with five checks' latest results and an agent, over 1,000,000
 * events of history, all seeded straight into PostgreSQL; then every group's policy is changed
 * through the REST API and the evaluation drains what became due, in the scheduler's batches.
 * Prints, never asserts a speed. Run with:
 * {@code ./mvnw -o -pl control-plane test -Dtest=ComplianceRecomputeBenchmark -Dbenchmark=true}
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ComplianceRecomputeBenchmark {

    private static final int PRACTICES = Integer.getInteger("benchmark.practices", 10_000);
    private static final int EVENTS = Integer.getInteger("benchmark.events", 1_000_000);
    private static final int GROUPS = 10;
    /** As the scheduler's default batch (rampart.compliance.batch-size). */
    private static final int BATCH = 500;

    @Inject
    TestFleet fleet;
    @Inject
    EntityManager entityManager;
    @Inject
    ComplianceEvaluation evaluation;

    @Test
    void recomputesTheFleetAfterAPolicyChange() {
        fleet.seedDemoTenancy();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<UUID> groups = seed(now);
        // everything else in the test database is evaluated first, so that only the bench practices remain
        Drain first = drain(now);
        System.out.printf("ComplianceRecomputeBenchmark: first evaluation of %d practices (all rule states new): %s, %.0f practices/s%n",
                first.practices(), first.took(), first.practices() / seconds(first.took()));

        for (UUID group : groups) {
            changePolicy(group);
        }
        Instant afterChange = Instant.now();
        long changedBefore = historyRows();
        Drain recompute = drain(afterChange);
        long changes = historyRows() - changedBefore;
        System.out.printf("ComplianceRecomputeBenchmark: recompute after a policy change of %d groups: %d practices in %s, "
                + "%.0f practices/s, %d state changes written (history + compliance topic); %d events of history in the database%n",
                GROUPS, recompute.practices(), recompute.took(), recompute.practices() / seconds(recompute.took()), changes, EVENTS);
        assertThat(recompute.practices()).isGreaterThanOrEqualTo(PRACTICES);
        assertThat(changes).isGreaterThan(0);
        // the fleet page over 10,000 practices and 10,000,000 events: FleetPageBenchmark
    }

    private record Drain(int practices, Duration took) {
    }

    private Drain drain(Instant now) {
        long start = System.nanoTime();
        int total = 0;
        int evaluated;
        do {
            evaluated = evaluation.evaluateDue(now, BATCH);
            total += evaluated;
        } while (evaluated == BATCH);
        return new Drain(total, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Half the nightly copies are fresh, half stale, so that a stricter policy changes states. */
    private List<UUID> seed(Instant now) {
        List<UUID> groups = java.util.stream.IntStream.range(0, GROUPS).mapToObj(i -> UUID.randomUUID()).toList();
        long start = System.nanoTime();
        QuarkusTransaction.requiringNew().timeout(600).run(() -> {
            for (int g = 0; g < GROUPS; g++) {
                entityManager.createNativeQuery("insert into practice_group (id, provider_id, name, created_at) values (?1, ?2, ?3, ?4)")
                        .setParameter(1, groups.get(g)).setParameter(2, DemoTenancy.NORTHWIND).setParameter(3, "Bench group " + g)
                        .setParameter(4, now.minus(Duration.ofDays(400))).executeUpdate();
            }
            entityManager.createNativeQuery("""
                    create temporary table bench_practice on commit drop as
                    select gen_random_uuid() as id, (cast(?1 as uuid[]))[1 + (n % ?2)] as group_id, n from generate_series(1, ?3) n""")
                    .setParameter(1, groups.toArray(UUID[]::new)).setParameter(2, GROUPS).setParameter(3, PRACTICES).executeUpdate();
            entityManager.createNativeQuery("""
                    insert into practice (id, provider_id, group_id, name, created_at)
                    select id, ?1, group_id, 'Bench practice ' || n, ?2 from bench_practice""")
                    .setParameter(1, DemoTenancy.NORTHWIND).setParameter(2, now.minus(Duration.ofDays(400))).executeUpdate();
            entityManager.createNativeQuery("""
                    insert into agent_presence (agent_id, provider_id, group_id, practice_id, hostname, agent_version, last_seen_at)
                    select gen_random_uuid(), ?1, group_id, id, 'server-' || n, 'bench', ?2 from bench_practice""")
                    .setParameter(1, DemoTenancy.NORTHWIND).setParameter(2, now.minus(Duration.ofMinutes(2))).executeUpdate();
            entityManager.createNativeQuery("""
                    insert into check_state (provider_id, group_id, practice_id, check_id, kind, status, summary, details, observed_at, event_id)
                    select ?1, p.group_id, p.id, c.check_id, c.kind, 'PASS', 'ok (benchmark)',
                           case c.kind when 'BACKUP_FOLDER' then jsonb_build_object('path', '/mnt/' || c.check_id, 'newestFile', 'clinical.bak',
                                'newestModifiedAt', to_char((cast(?2 as timestamptz) - make_interval(hours => case when p.n % 2 = 0 then 3 else 20 end))
                                    at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'newestSizeBytes', '2048', 'fileCount', 1)
                                else cast('{}' as jsonb) end,
                           ?2, gen_random_uuid()
                    from bench_practice p
                    cross join (values ('nas-copy', 'BACKUP_FOLDER'), ('usb-copy', 'BACKUP_FOLDER'), ('cloud-copy', 'BACKUP_FOLDER'),
                                       ('system-image', 'REPORTED_JOB'), ('restore-test', 'RESTORE_TEST')) as c(check_id, kind)""")
                    .setParameter(1, DemoTenancy.NORTHWIND).setParameter(2, now.minus(Duration.ofMinutes(5))).executeUpdate();
            entityManager.createNativeQuery("""
                    insert into event_history (event_id, provider_id, group_id, practice_id, agent_id, type, check_id, status, summary,
                                               occurred_at, received_at, kafka_partition, kafka_offset)
                    select gen_random_uuid(), ?1, p.group_id, p.id, p.id, case when e % 2 = 0 then 'HEARTBEAT' else 'CHECK_RESULT' end,
                           case when e % 2 = 0 then null else 'nas-copy' end, case when e % 2 = 0 then null else 'PASS' end,
                           'benchmark', cast(?2 as timestamptz) - make_interval(mins => e % 100000), ?2, 0, e
                    from generate_series(1, ?3) e join bench_practice p on p.n = 1 + (e % ?4)""")
                    .setParameter(1, DemoTenancy.NORTHWIND).setParameter(2, now).setParameter(3, EVENTS).setParameter(4, PRACTICES)
                    .executeUpdate();
        });
        System.out.printf("ComplianceRecomputeBenchmark: seeded %d practices, %d check states, %d events in %s%n", PRACTICES,
                PRACTICES * 5, EVENTS, Duration.ofNanos(System.nanoTime() - start));
        return groups;
    }

    /** Every nightly copy must now be at most 12 hours old: the stale half turns FAIL. */
    private static void changePolicy(UUID group) {
        Map<String, Object> document = given().auth().oauth2(Tokens.of("alice")).get("/api/groups/{id}/policy", group)
                .then().statusCode(200).extract().path("document");
        @SuppressWarnings("unchecked")
        Map<String, Object> nasCopy = (Map<String, Object>) ((Map<String, Object>) document.get("rules")).get("nas-copy");
        nasCopy.put("maxAge", "PT12H");
        nasCopy.put("grace", "PT1H");
        nasCopy.put("noDataGrace", "PT13H");
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                .body(Map.of("document", document, "comment", "benchmark: fresher nightly copies"))
                .put("/api/groups/{id}/policy", group).then().statusCode(200);
    }

    private static long historyRows() {
        return QuarkusTransaction.requiringNew().call(() -> ComplianceHistoryEntry.count());
    }

    private static double seconds(Duration duration) {
        return Math.max(duration.toNanos(), 1) / 1e9;
    }
}
