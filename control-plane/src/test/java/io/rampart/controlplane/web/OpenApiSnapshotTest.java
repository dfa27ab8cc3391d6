package io.rampart.controlplane.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import io.rampart.controlplane.testing.RealServers;

/**
 * The web UI's API types are generated (openapi-typescript) from a committed snapshot of this
 * control plane's OpenAPI document, web-ui/openapi/rampart-openapi.json: the web UI is built before
 * the control plane (which bundles it), so it cannot read the live document. This test keeps the
 * snapshot true: it reads {@code GET /q/openapi?format=json} and fails when the snapshot differs,
 * writing the fresh document (keys sorted, two-space indent, as the snapshot is stored) to
 * target/rampart-openapi.json. With {@code -Dupdate.openapi.snapshot=true} it writes the snapshot
 * instead and passes (not a {@code rampart.} key: the control plane refuses unknown ones of its own).
 */
@QuarkusTest
@QuarkusTestResource(RealServers.class)
class OpenApiSnapshotTest {

    /** Where the web UI reads the document; relative to control-plane/, Maven's working directory for tests. */
    static final Path SNAPSHOT = Path.of("..", "web-ui", "openapi", "rampart-openapi.json");
    static final Path FRESH = Path.of("target", "rampart-openapi.json");
    static final String REFRESH = "./mvnw -B -o -pl control-plane test -Dskip.npm -Dtest=OpenApiSnapshotTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dupdate.openapi.snapshot=true";

    /** Stands for the installation's OpenID Connect discovery document in the snapshot. */
    static final String ISSUER_DISCOVERY = "<the Keycloak issuer>/.well-known/openid-configuration";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @Test
    void theWebUisSnapshotOfTheOpenApiDocumentIsTheDocumentThisControlPlaneServes() throws IOException {
        String served = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        String fresh = normalised(JSON.readTree(served));
        Files.createDirectories(FRESH.getParent());
        Files.writeString(FRESH, fresh, StandardCharsets.UTF_8);

        if (Boolean.getBoolean("update.openapi.snapshot")) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, fresh, StandardCharsets.UTF_8);
            return;
        }
        assertThat(Files.exists(SNAPSHOT))
                .as("%s is missing: run `%s` to write it", SNAPSHOT.normalize(), REFRESH)
                .isTrue();
        JsonNode committed = JSON.readTree(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
        JsonNode current = JSON.readTree(fresh);
        assertThat(differences(committed, current))
                .as("the control plane's API changed: run `%s` to refresh web-ui/openapi/rampart-openapi.json"
                        + " (the fresh document is in control-plane/%s), then rebuild web-ui and fix what tsc finds",
                        REFRESH, FRESH)
                .isEmpty();
    }

    /** The paths and schemas that differ (by name), or the document's other top-level keys; empty when equal. */
    private static Set<String> differences(JsonNode committed, JsonNode current) {
        Set<String> differ = new TreeSet<>();
        Set<String> keys = new TreeSet<>();
        committed.fieldNames().forEachRemaining(keys::add);
        current.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (committed.path(key).equals(current.path(key))) continue;
            switch (key) {
                case "paths" -> differ.addAll(changedMembers("path ", committed.path(key), current.path(key)));
                case "components" -> {
                    differ.addAll(changedMembers("schema ", committed.path(key).path("schemas"), current.path(key).path("schemas")));
                    ObjectNode before = ((ObjectNode) committed.path(key).deepCopy()).without("schemas");
                    ObjectNode after = ((ObjectNode) current.path(key).deepCopy()).without("schemas");
                    differ.addAll(changedMembers("components.", before, after));
                }
                default -> differ.add(key);
            }
        }
        if (differ.isEmpty() && !committed.equals(current)) differ.add("the document");
        return differ;
    }

    private static Set<String> changedMembers(String kind, JsonNode before, JsonNode after) {
        Set<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        Set<String> changed = new TreeSet<>();
        for (String name : names) {
            if (!before.path(name).equals(after.path(name))) changed.add(kind + name);
        }
        return changed;
    }

    /** Keys sorted at every level, so the snapshot's diff shows only what changed in the API. */
    private static String normalised(JsonNode document) throws IOException {
        // the sign-in scheme names the issuer of this installation (in a test, Keycloak on a random port)
        document.path("components").path("securitySchemes").forEach(scheme -> {
            if (scheme.has("openIdConnectUrl")) {
                ((ObjectNode) scheme).put("openIdConnectUrl", ISSUER_DISCOVERY);
            }
        });
        Object tree = JSON.treeToValue(document, Object.class);
        return JSON.writeValueAsString(tree) + "\n";
    }
}
