package io.rampart.agent.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.google.protobuf.Value;

import io.rampart.protocol.identity.Pem;

/**
 * Prepares the benchmark's practices over the control plane's REST API: finds the first group,
 * adds one practice per simulated agent and issues each practice an enrolment token, with at
 * most {@code parallelism} requests in flight.
 */
final class BenchFleet implements AutoCloseable {

    /** A new practice and the single-use token its simulated agent enrols with. */
    record Ticket(int index, String practiceId, String token) {
    }

    record Group(String id, String name) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ExecutorService pool;
    private volatile String accessToken;

    BenchFleet(URI base, int parallelism) {
        this.base = base;
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Signs in as a provider admin through the identity provider the control plane names (the
     * password grant of the demo realm's `rampart-cli` client). A control plane that answers
     * /api/auth-config with 404 has no sign-in, and the setup goes on without a token.
     */
    void signIn(String username, String password) {
        HttpResponse<String> config = get("/api/auth-config");
        if (config.statusCode() == 404) {
            return;
        }
        if (config.statusCode() != 200) {
            throw new IllegalStateException("GET /api/auth-config answered " + config.statusCode());
        }
        String issuer = JsonValues.text(JsonValues.parse(config.body()), "issuer");
        String form = "grant_type=password&client_id=rampart-cli&username=" + encode(username) + "&password=" + encode(password);
        HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (token.statusCode() != 200) {
            throw new IllegalStateException("signing in as " + username + " at " + issuer + " failed (" + token.statusCode()
                    + "); set RAMPART_BENCH_USER and RAMPART_BENCH_PASSWORD to a provider admin of the demo realm");
        }
        accessToken = JsonValues.text(JsonValues.parse(token.body()), "access_token");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    Group firstGroup() {
        Value groups = JsonValues.parse(call("GET", "/api/groups", null, 200));
        if (groups.getListValue().getValuesCount() == 0) {
            throw new IllegalStateException("no group: start the control plane with the demo (see README)");
        }
        Value first = groups.getListValue().getValues(0);
        return new Group(JsonValues.text(first, "id"), JsonValues.text(first, "name"));
    }

    List<String> createPractices(Group group, String runId, int count) {
        return inParallel(count, i -> JsonValues.text(JsonValues.parse(call("POST",
                "/api/groups/" + group.id() + "/practices",
                "{\"name\":" + JsonValues.quote("Bench practice " + runId + "-" + i) + "}", 201)), "id"));
    }

    List<Ticket> issueTokens(List<String> practiceIds) {
        return inParallel(practiceIds.size(), i -> new Ticket(i, practiceIds.get(i), JsonValues.text(JsonValues.parse(
                call("POST", "/api/practices/" + practiceIds.get(i) + "/enrolment-tokens", "{}", 201)), "token")));
    }

    /** The CA the control plane signs agent certificates with, which is also the one its gRPC server's certificate comes from. */
    List<X509Certificate> agentCa() {
        HttpResponse<String> ca = get("/agent-ca.crt");
        if (ca.statusCode() != 200) {
            throw new IllegalStateException("GET /agent-ca.crt answered " + ca.statusCode());
        }
        return Pem.readCertificates(ca.body().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The answer to {@code GET path}, whatever its status (the caller decides what that means). */
    HttpResponse<String> get(String path) {
        return send(request("GET", path, null));
    }

    private String call(String method, String path, String body, int expectedStatus) {
        HttpResponse<String> response = send(request(method, path, body));
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode()
                    + " (expected " + expectedStatus + "): " + JsonValues.abbreviate(response.body()));
        }
        return response.body();
    }

    private HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, text/plain, application/x-pem-file");
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new ControlPlaneUnreachable("the control plane is unreachable at " + base + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                throw new ControlPlaneUnreachable("the control plane is unreachable at " + base + " (" + e.getCause() + ")", e);
            }
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code task} for 0..count-1 on the pool; the results in index order; the first failure is rethrown. */
    <T> List<T> inParallel(int count, IntFunction<T> task) {
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> task.apply(index)));
        }
        List<T> results = new ArrayList<>(count);
        try {
            for (Future<T> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return results;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
