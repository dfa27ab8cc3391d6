package io.rampart.controlplane.sources;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import io.rampart.agent.config.SealedSecrets;
import io.rampart.controlplane.audit.AuditEntry;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.testing.RealServers;
import io.rampart.controlplane.testing.TestFleet;
import io.rampart.controlplane.testing.Tokens;
import io.rampart.controlplane.testing.WatchingAgent;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.agent.v1.SealedSecret;

/**
 * A practice's sources set over REST reach its agents; bad ones are refused field by field and change nothing; a
 * secret reaches the control plane only sealed in the browser (here Bouncy Castle plays the browser, as the interop
 * tests prove it may) and only the agent it was sealed for opens it; no secret is audited or shown.
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class PracticeSourcesTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Inject
    TestFleet fleet;

    @Test
    void refusesBadSourcesFieldByFieldAndChangesNothing() {
        Practice practice = fleet.newPractice("Bad Sources Street");

        alice().body("""
                {"settings": {"path": "backups/nas", "repository": "rest:https://backup:hunter2@nas.local:8000/",
                 "executable": "/tmp/evil", "host": "nas\\nlocal", "port": "70000", "primary": "db1:5432:9", "colour": "blue"}}""")
                .put("/api/practices/" + practice.id + "/sources/nas-copy")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("settings.path", "settings.repository", "settings.executable", "settings.host",
                        "settings.port", "settings.primary", "settings.colour"))
                .body("errors.find { it.field == 'settings.path' }.message",
                        equalTo("must be an absolute path, such as /mnt/nas/backups or D:\\Backups or \\\\nas\\backups"))
                .body("errors.find { it.field == 'settings.repository' }.message",
                        equalTo("must be a restic or borg repository address without a password, such as sftp:backup@nas:/srv/restic"))
                .body("errors.find { it.field == 'settings.executable' }.message",
                        equalTo("executable is set only in checks.properties on the practice's server: the control plane never chooses which program the agent runs"))
                .body("errors.find { it.field == 'settings.host' }.message",
                        equalTo("must not contain control characters such as NUL or a line break"))
                .body("errors.find { it.field == 'settings.port' }.message", equalTo("must be a TCP port number from 1 to 65535"));

        alice().get("/api/practices/" + practice.id + "/sources").then().statusCode(200)
                .body("checks.find { it.checkId == 'nas-copy' }.settings", equalTo(Map.of()));
    }

    @Test
    void aSecretSealedForEachAgentReachesOnlyThatAgentAndIsNeverShownOrAudited() throws Exception {
        Practice practice = fleet.newPractice("Sealed Street");
        fleet.addCheck(practice.groupId, "cloud-copy", "RESTIC_REPOSITORY", "{}");
        try (WatchingAgent agent = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "server-1")) {
            agent.next(WITHIN);
            JsonPath sources = alice().get("/api/practices/" + practice.id + "/sources").then().statusCode(200).extract().jsonPath();
            assertThat(sources.getList("agents.agentId")).containsExactly(agent.agentId.toString());
            String keyId = sources.getString("agents[0].keyId");
            assertThat(keyId).isEqualTo(SealedSecrets.keyId(agent.certificate.getPublicKey().getEncoded()));
            byte[] point = Base64.getDecoder().decode(sources.getString("agents[0].publicKey"));

            SealedSecret sealed = SealedSecrets.seal(point, keyId, "cloud-copy", "password", "hunter2".getBytes(StandardCharsets.UTF_8));
            String body = "{\"sealed\": [{\"agentId\": \"" + agent.agentId + "\", \"keyId\": \"" + keyId + "\", \"encapsulatedKey\": \""
                    + b64(sealed.getEncapsulatedKey().toByteArray()) + "\", \"ciphertext\": \"" + b64(sealed.getCiphertext().toByteArray()) + "\"}]}";
            String answer = alice().body(body).put("/api/practices/" + practice.id + "/sources/cloud-copy/secrets/password")
                    .then().statusCode(200)
                    .body("checks.find { it.checkId == 'cloud-copy' }.secrets[0].sealedForAgents", equalTo(1))
                    .extract().asString();
            assertThat(answer).doesNotContain(b64(sealed.getCiphertext().toByteArray())).doesNotContain("hunter2");

            // the watching agent has it within seconds, and only it can open it
            AgentConfiguration pushed = agent.next(WITHIN).configuration();
            SealedSecret received = pushed.getChecksList().stream().filter(c -> c.getCheckId().equals("cloud-copy")).findFirst()
                    .orElseThrow().getSealedSecrets(0);
            assertThat(new String(SealedSecrets.open(received, "cloud-copy", agent.keys.getPrivate()), StandardCharsets.UTF_8)).isEqualTo("hunter2");
            // the poll gives the same
            AgentConfiguration polled = AgentServiceGrpc.newBlockingStub(agent.channel)
                    .getConfiguration(GetConfigurationRequest.getDefaultInstance()).getConfiguration();
            assertThat(polled).isEqualTo(pushed);

            List<AuditEntry> audited = QuarkusTransaction.requiringNew().call(() -> AuditEntry.list("practiceId", practice.id));
            assertThat(audited).extracting(e -> e.action).contains("practice.secret.sealed");
            assertThat(audited).allSatisfy(e -> assertThat(e.before + " " + e.after)
                    .doesNotContain(b64(sealed.getCiphertext().toByteArray())).doesNotContain("hunter2"));

            // an agent enrolled later cannot open it: the page says for whom it is missing
            try (WatchingAgent later = WatchingAgent.enrolAndWatch(fleet, fleet.token(practice), "server-2")) {
                assertThat(later.next(WITHIN).configuration().getChecksList()).allSatisfy(c -> assertThat(c.getSealedSecretsList()).isEmpty());
                alice().get("/api/practices/" + practice.id + "/sources").then().statusCode(200)
                        .body("checks.find { it.checkId == 'cloud-copy' }.secrets[0].sealedForAgents", equalTo(1))
                        .body("checks.find { it.checkId == 'cloud-copy' }.secrets[0].agentsWithout", equalTo(List.of(later.agentId.toString())));
            }
        }
    }

    @Test
    void aSecretSealedForAnotherPracticesAgentIsRefused() {
        Practice mine = fleet.newPractice("Mine Street");
        Practice theirs = fleet.newPractice("Theirs Street");
        try (WatchingAgent stranger = WatchingAgent.enrolAndWatch(fleet, fleet.token(theirs), "stranger")) {
            String keyId = SealedSecrets.keyId(stranger.certificate.getPublicKey().getEncoded());
            alice().body("{\"sealed\": [{\"agentId\": \"" + stranger.agentId + "\", \"keyId\": \"" + keyId
                    + "\", \"encapsulatedKey\": \"BA==\", \"ciphertext\": \"AA==\"}]}")
                    .put("/api/practices/" + mine.id + "/sources/nas-copy/secrets/password")
                    .then().statusCode(400)
                    .body("errors[0].field", equalTo("sealed[0].agentId"))
                    .body("errors[0].message", equalTo("not an agent of this practice with a key to seal to; reload the page"));
        }
    }

    private static RequestSpecification alice() {
        return given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
