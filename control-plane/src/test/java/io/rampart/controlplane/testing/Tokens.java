package io.rampart.controlplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Access tokens of the demo realm's people, obtained from the real Keycloak the tests started
 * (password grant of the `rampart-cli` client), cached for the run (they live 5 minutes).
 */
public final class Tokens {

    public static final String PASSWORD = "rampart-demo";
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(String token, long expiresAtMillis) {
    }

    private Tokens() {
    }

    /** The access token of a demo user: alice, tom, grace, pat, olivia, gary, paula, or oscar (platform operator). */
    public static String of(String username) {
        Cached cached = CACHE.get(username);
        if (cached == null || cached.expiresAtMillis() < System.currentTimeMillis() + 30_000) {
            cached = fetch(username);
            CACHE.put(username, cached);
        }
        return cached.token();
    }

    private static Cached fetch(String username) {
        String form = "grant_type=password&client_id=rampart-cli&scope=openid&username=" + encode(username)
                + "&password=" + encode(PASSWORD);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RealServers.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + username + ": " + response.body());
            }
            Map<?, ?> body = JSON.readValue(response.body(), Map.class);
            long lifetime = ((Number) body.get("expires_in")).longValue() * 1000;
            return new Cached((String) body.get("access_token"), System.currentTimeMillis() + lifetime);
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
