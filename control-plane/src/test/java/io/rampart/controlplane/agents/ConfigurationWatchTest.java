package io.rampart.controlplane.agents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.WatchingAgent;
import io.rampart.controlplane.testing.WatchingAgent.Arrival;
import io.rampart.protocol.CheckSources;

/**
 * Agents watching their configuration (WatchConfiguration over mutual TLS, against the real control plane, PostgreSQL
 * and Keycloak) have a change within seconds: made on this replica, or committed by another one (a row in
 * configuration_change, as every replica's ConfigurationChanges writes it). The figures are printed.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class ConfigurationWatchTest {

    /** Far inside the 5-minute poll, so an arrival proves the watch; the latency itself is ConfigurationWatchBenchmark's to print. */
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    TestFleet fleet;
    @Inject
    EntityManager entityManager;

    @Test
    void anAgentWatchingGetsItsConfigurationAtOnceAndASourceChangeWithinSeconds() throws Exception {
        Practice practice = fleet.newPractice("Watched Street");
        try (WatchingAgent agent = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "watched-pc")) {
            Arrival first = agent.next(WITHIN);
            assertThat(first.configuration().getChecksList()).extracting(c -> c.getCheckId()).containsExactly("nas-copy");
            assertThat(CheckSources.of(first.configuration().getChecks(0))).isEmpty();

            long changed = System.nanoTime();
            given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON)
                    .body("{\"settings\": {\"path\": \"/mnt/nas/backups\"}}")
                    .put("/api/practices/" + practice.id + "/sources/nas-copy")
                    .then().statusCode(200);
            long answered = System.nanoTime();
            Arrival next = agent.next(WITHIN);

            assertThat(CheckSources.of(next.configuration().getChecks(0))).containsEntry("path", "/mnt/nas/backups");
            assertThat(next.configuration().getVersion()).isNotEqualTo(first.configuration().getVersion());
            System.out.printf("configuration watch: a source change reached the agent %d ms after the request was sent, %d ms after its answer%n",
                    TimeUnit.NANOSECONDS.toMillis(next.nanoTime() - changed), TimeUnit.NANOSECONDS.toMillis(next.nanoTime() - answered));
        }
    }

    @Test
    void aChangeAnotherReplicaCommittedArrivesThroughTheChangeFeedWithinSeconds() throws Exception {
        Practice practice = fleet.newPractice("Other Replica Street");
        try (WatchingAgent agent = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "replica-pc")) {
            agent.next(WITHIN);

            // what another replica does: the change and its configuration_change row in one transaction, no local event
            long changed = System.nanoTime();
            QuarkusTransaction.requiringNew().run(() -> {
                fleet.addCheck(practice.groupId, "ups", "UPS", "{}");
                entityManager.createNativeQuery("insert into configuration_change (provider_id, group_id) values (?1, ?2)")
                        .setParameter(1, practice.providerId).setParameter(2, practice.groupId).executeUpdate();
            });
            Arrival next = agent.next(WITHIN);

            assertThat(next.configuration().getChecksList()).extracting(c -> c.getCheckId()).containsExactly("nas-copy", "ups");
            System.out.printf("configuration watch: a change committed by another replica reached the agent in %d ms (poll every 1 s)%n",
                    TimeUnit.NANOSECONDS.toMillis(next.nanoTime() - changed));
        }
    }

    @Test
    void aRevokedAgentsWatchEndsWithinSecondsAndItsPracticesOtherAgentsKeepWatching() throws Exception {
        Practice practice = fleet.newPractice("Revoked Street");
        try (WatchingAgent revoked = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "old-pc");
                WatchingAgent kept = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "new-pc")) {
            revoked.next(WITHIN);
            kept.next(WITHIN);

            given().auth().oauth2(Tokens.of("alice")).post("/api/agents/" + revoked.agentId + "/revoke").then().statusCode(200);

            Status status = revoked.ended.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).isEqualTo("agent " + revoked.agentId
                    + " was revoked or its practice is gone; enrol it again with a new token");
            assertThat(kept.ended).isNotDone();
        }
    }

    @Test
    void aGroupChangeReachesEveryWatchingAgentOfTheGroupOnce() throws Exception {
        Practice first = fleet.newPractice("Group Street One");
        Practice second = fleet.newPracticeIn(first.groupId, "Group Street Two");
        UUID unrelatedGroup = fleet.newPractice("Elsewhere").groupId;
        try (WatchingAgent one = WatchingAgent.enrolAndWatch(fleet, fleet.token(first), "one-pc");
                WatchingAgent two = WatchingAgent.enrolAndWatch(fleet, fleet.token(second), "two-pc")) {
            one.next(WITHIN);
            two.next(WITHIN);

            QuarkusTransaction.requiringNew().run(() -> {
                fleet.addCheck(first.groupId, "cloud-copy", "RESTIC_REPOSITORY", "{}");
                entityManager.createNativeQuery("insert into configuration_change (provider_id, group_id) values (?1, ?2)")
                        .setParameter(1, first.providerId).setParameter(2, first.groupId).executeUpdate();
                entityManager.createNativeQuery("insert into configuration_change (provider_id, group_id) values (?1, ?2)")
                        .setParameter(1, first.providerId).setParameter(2, unrelatedGroup).executeUpdate();
            });

            assertThat(one.next(WITHIN).configuration().getChecksCount()).isEqualTo(2);
            assertThat(two.next(WITHIN).configuration().getChecksCount()).isEqualTo(2);
            // nothing more: the unrelated group's change and a second look at the same rows send nothing
            assertThat(one.arrivals.poll(2, TimeUnit.SECONDS)).isNull();
        }
    }
}
