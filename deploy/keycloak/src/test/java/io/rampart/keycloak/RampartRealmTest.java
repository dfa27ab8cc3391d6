package io.rampart.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The rampart realm on a real Keycloak: roles, tenancy claims, audience and the clients' grants. */
class RampartRealmTest {

    static final String PROVIDER_NORTHWIND = "00000000-0000-4000-8000-000000000001";
    static final String PROVIDER_SOUTHERN = "00000000-0000-4000-8000-000000000002";
    static final String GROUP_COASTAL = "00000000-0000-4000-8000-000000000010";
    static final String GROUP_INLAND = "00000000-0000-4000-8000-000000000020";
    static final String PRACTICE_HARBOUR = "00000000-0000-4000-8000-000000000101";
    static final String PRACTICE_RIVERSIDE = "00000000-0000-4000-8000-000000000102";
    static final List<String> RAMPART_ROLES =
            List.of("platform-operator", "provider-admin", "provider-technician", "group-manager", "practice-manager");
    static final String PASSWORD = "rampart-demo";

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    static Path dataDir;
    static EmbeddedKeycloak keycloak;

    @BeforeAll
    static void startKeycloak() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        keycloak = EmbeddedKeycloak.start(EmbeddedKeycloak.defaultDistribution(), dataDir, port);
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
            assertThat(keycloak.isRunning()).isFalse();
        }
    }

    record DemoUser(String username, String role, String providerId, String groupId, String practiceId) {
        Map<String, String> tenancy() {
            Map<String, String> claims = new LinkedHashMap<>();
            claims.put("provider_id", providerId);
            claims.put("group_id", groupId);
            claims.put("practice_id", practiceId);
            return claims;
        }

        @Override
        public String toString() {
            return username + " (" + role + ")";
        }
    }

    static Stream<DemoUser> demoUsers() {
        return Stream.of(
                new DemoUser("alice", "provider-admin", PROVIDER_NORTHWIND, null, null),
                new DemoUser("tom", "provider-technician", PROVIDER_NORTHWIND, null, null),
                new DemoUser("grace", "group-manager", PROVIDER_NORTHWIND, GROUP_COASTAL, null),
                new DemoUser("pat", "practice-manager", PROVIDER_NORTHWIND, GROUP_COASTAL, PRACTICE_HARBOUR),
                new DemoUser("olivia", "provider-admin", PROVIDER_SOUTHERN, null, null),
                new DemoUser("gary", "group-manager", PROVIDER_NORTHWIND, GROUP_INLAND, null),
                new DemoUser("paula", "practice-manager", PROVIDER_NORTHWIND, GROUP_COASTAL, PRACTICE_RIVERSIDE),
                new DemoUser("oscar", "platform-operator", null, null, null));
    }

    @ParameterizedTest(name = "{0}: access token carries the role, exactly the tenancy ids, the control plane audience and the issuer")
    @MethodSource("demoUsers")
    void accessTokenCarriesRoleTenancyAudienceAndIssuer(DemoUser user) throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-cli", user.username(), PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode token = payload(JSON.readTree(response.body()).path("access_token").asText());

        List<String> roles = texts(token.path("realm_access").path("roles"));
        assertThat(roles).contains(user.role());
        assertThat(roles).filteredOn(RAMPART_ROLES::contains).containsExactly(user.role());
        assertTenancy(token, user);
        assertThat(texts(token.path("aud"))).contains("rampart-control-plane");
        assertThat(token.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(token.path("azp").asText()).isEqualTo("rampart-cli");
        assertThat(token.path("preferred_username").asText()).isEqualTo(user.username());
        assertThat(token.path("sub").asText()).isNotBlank();
        long lifetime = token.path("exp").asLong() - token.path("iat").asLong();
        assertThat(lifetime).isEqualTo(300);
    }

    @ParameterizedTest(name = "{0}: ID token carries exactly the tenancy ids")
    @MethodSource("demoUsers")
    void idTokenCarriesTheTenancyIds(DemoUser user) throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-cli", user.username(), PASSWORD, "scope", "openid");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.has("id_token")).as(response.body()).isTrue();
        JsonNode idToken = payload(body.path("id_token").asText());
        assertTenancy(idToken, user);
        assertThat(idToken.path("iss").asText()).isEqualTo(keycloak.issuer());
    }

    @Test
    @DisplayName("rampart-people's service account holds exactly manage-users, view-users and query-users of realm-management, and no Rampart role")
    void peopleServiceAccountHoldsOnlyTheUserManagementRoles() throws Exception {
        HttpResponse<String> response = clientCredentialsGrant(EmbeddedKeycloak.PEOPLE_CLIENT_ID, EmbeddedKeycloak.PEOPLE_CLIENT_SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode token = payload(JSON.readTree(response.body()).path("access_token").asText());
        assertThat(texts(token.path("resource_access").path("realm-management").path("roles")))
                // view-users is a composite of query-users and query-groups
                .containsExactlyInAnyOrder("manage-users", "view-users", "query-users", "query-groups");
        assertThat(texts(token.path("realm_access").path("roles"))).doesNotContainAnyElementsOf(RAMPART_ROLES);
        // not an audience of the control plane's API: this token cannot call Rampart as a person
        assertThat(texts(token.path("aud"))).doesNotContain("rampart-control-plane");
    }

    @Test
    @DisplayName("rampart-people refuses a wrong secret")
    void peopleClientRefusesAWrongSecret() throws Exception {
        HttpResponse<String> response = clientCredentialsGrant(EmbeddedKeycloak.PEOPLE_CLIENT_ID, "not-the-secret");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isIn("unauthorized_client", "invalid_client");
        assertThat(response.body()).doesNotContain("access_token");
    }

    @Test
    @DisplayName("the realm sends its own emails (set-password links) through an SMTP server: the demo mailbox until the control plane sets its own")
    void realmHasAnSmtpServer() throws Exception {
        JsonNode realm = JSON.readTree(EmbeddedKeycloak.class.getResourceAsStream(EmbeddedKeycloak.REALM_RESOURCE));
        assertThat(realm.path("smtpServer").path("host").asText()).isEqualTo("localhost");
        assertThat(realm.path("smtpServer").path("port").asText()).isEqualTo("12525");
        assertThat(realm.path("smtpServer").path("from").asText()).isNotBlank();
    }

    @Test
    @DisplayName("a wrong password is refused with invalid_grant and no token")
    void wrongPasswordIsRefused() throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-cli", "tom", "not-the-password");
        assertThat(response.statusCode()).isIn(400, 401);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.has("access_token")).isFalse();
    }

    @Test
    @DisplayName("an unknown user is refused with invalid_grant")
    void unknownUserIsRefused() throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-cli", "mallory", PASSWORD);
        assertThat(response.statusCode()).isIn(400, 401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    @DisplayName("rampart-web refuses the password grant: it has the standard flow only")
    void webClientRefusesPasswordGrant() throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-web", "alice", PASSWORD);
        assertThat(response.statusCode()).isIn(400, 401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("unauthorized_client");
    }

    @Test
    @DisplayName("rampart-control-plane issues no tokens itself: no password grant without a secret")
    void controlPlaneClientRefusesPasswordGrant() throws Exception {
        HttpResponse<String> response = passwordGrant("rampart-control-plane", "alice", PASSWORD);
        assertThat(response.statusCode()).isIn(400, 401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isIn("unauthorized_client", "invalid_client");
    }

    @Test
    @DisplayName("rampart-web's authorization request without a PKCE code challenge is sent back with invalid_request")
    void webClientRequiresPkce() throws Exception {
        HttpResponse<String> response = authorize(Map.of());
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://localhost:8080/?");
        Map<String, String> query = query(location);
        assertThat(query.get("error")).isEqualTo("invalid_request");
        assertThat(query.get("error_description")).contains("code_challenge");
    }

    @Test
    @DisplayName("rampart-web refuses the plain PKCE method: S256 is required")
    void webClientRefusesPlainPkce() throws Exception {
        HttpResponse<String> response = authorize(Map.of("code_challenge", "a".repeat(43), "code_challenge_method", "plain"));
        assertThat(response.statusCode()).isEqualTo(302);
        Map<String, String> query = query(response.headers().firstValue("Location").orElseThrow());
        assertThat(query.get("error")).isEqualTo("invalid_request");
        assertThat(query.get("error_description")).containsIgnoringCase("code challenge method");
    }

    @Test
    @DisplayName("rampart-web with an S256 code challenge gets the login page")
    void webClientWithS256ChallengeShowsLogin() throws Exception {
        HttpResponse<String> response = authorize(Map.of(
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("kc-form-login");
    }

    @Test
    @DisplayName("rampart-web may not redirect anywhere but the web UI")
    void webClientRefusesForeignRedirect() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(keycloak.issuer()
                + "/protocol/openid-connect/auth?client_id=rampart-web&response_type=code&scope=openid"
                + "&redirect_uri=" + encode("https://evil.example/") + "&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")).GET().build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    static void assertTenancy(JsonNode token, DemoUser user) {
        user.tenancy().forEach((claim, expected) -> {
            if (expected == null) {
                assertThat(token.has(claim)).as("%s has no %s claim", user.username(), claim).isFalse();
            } else {
                assertThat(token.path(claim).isTextual()).as("%s claim %s is a string", user.username(), claim).isTrue();
                assertThat(token.path(claim).asText()).as("%s claim %s", user.username(), claim).isEqualTo(expected);
            }
        });
    }

    static HttpResponse<String> passwordGrant(String clientId, String username, String password, String... extra)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> clientCredentialsGrant(String clientId, String secret) throws Exception {
        String body = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret);
        return send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> authorize(Map<String, String> pkce) throws Exception {
        StringBuilder url = new StringBuilder(keycloak.issuer())
                .append("/protocol/openid-connect/auth?client_id=rampart-web&response_type=code")
                .append("&redirect_uri=").append(encode("http://localhost:8080/")).append("&scope=openid");
        pkce.forEach((k, v) -> url.append('&').append(k).append('=').append(encode(v)));
        return send(HttpRequest.newBuilder(URI.create(url.toString())).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode payload(String jwt) throws IOException {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("a signed JWT").hasSize(3);
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    /** A claim that is a string or an array of strings, as a list. */
    static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (node.isTextual()) {
            values.add(node.asText());
        }
        return values;
    }

    static Map<String, String> query(String url) {
        String raw = URI.create(url).getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
