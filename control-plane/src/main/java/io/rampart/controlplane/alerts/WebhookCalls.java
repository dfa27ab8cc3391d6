package io.rampart.controlplane.alerts;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import io.rampart.controlplane.RampartConfig;

/**
 * POSTs an alert's JSON to a webhook, signed so the receiver can tell it came from Rampart: the
 * header {@code X-Rampart-Signature: sha256=<hex HMAC-SHA256 of the body under the webhook's secret>}.
 *
 * <p>The host is resolved here, every address checked ({@link WebhookDestinations}), and the call connects to
 * the address checked (TLS still verifies the certificate for the host name), so DNS cannot switch it to an
 * internal address between the check and the call. Redirects are not followed. Connect and read timeouts
 * (rampart.webhooks.*) bound a call to a few seconds. A failure is reported with a reason from a fixed vocabulary
 * ("connection refused", "timed out", "TLS handshake failed", "HTTP 500"): never the receiver's answer or the
 * address it resolved to, which would let a tenant read the control plane's network through its alerts.
 */
@ApplicationScoped
public class WebhookCalls {

    static final String SIGNATURE_HEADER = "X-Rampart-Signature";
    private static final Logger LOG = Logger.getLogger(WebhookCalls.class);

    @Inject
    Vertx vertx;
    @Inject
    RampartConfig config;

    private HttpClient http;
    private WebhookDestinations destinations;

    @PostConstruct
    void start() {
        RampartConfig.Webhooks webhooks = config.webhooks();
        destinations = new WebhookDestinations(webhooks.allowPrivateDestinations(), webhooks.allowedNetworks().orElse(List.of()));
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) connectTimeout().toMillis())
                .setKeepAlive(false).setVerifyHost(true).setMaxPoolSize(64));
    }

    @PreDestroy
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    /** The destination rules as configured, for checking a URL when it is saved. */
    public WebhookDestinations destinations() {
        return destinations;
    }

    /** A call that did not get a 2xx answer; the message is from the fixed vocabulary above. */
    public static final class CallFailed extends RuntimeException {
        private final boolean retryable;

        CallFailed(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }

        /** False when no later attempt can succeed as things are configured (a destination that is not allowed). */
        public boolean retryable() {
            return retryable;
        }
    }

    /** Returns once the webhook answered 2xx; throws {@link CallFailed} otherwise. */
    public void post(String url, String secret, String body) {
        if (destinations.checkUrl(url).isPresent()) {
            throw new CallFailed("the destination is not allowed", false);
        }
        URI uri = URI.create(url);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        String host = uri.getHost();
        List<InetAddress> addresses;
        try {
            addresses = destinations.resolve(host);
        } catch (WebhookDestinations.Refused e) {
            throw new CallFailed(e.getMessage(), e.retryable());
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(addresses.get(0).getAddress()); // no name attached: nothing left to resolve
        } catch (UnknownHostException e) {
            throw new CallFailed("the address could not be resolved", true);
        }
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setSsl(https)
                .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).setPort(port).setURI(path)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port))).setFollowRedirects(false)
                .setConnectTimeout(connectTimeout().toMillis()).setIdleTimeout(readTimeout().toMillis())
                .putHeader("Content-Type", "application/json").putHeader(SIGNATURE_HEADER, signature(secret, body));
        Future<HttpClientResponse> call = http.request(request).compose(r -> r.send(Buffer.buffer(body, StandardCharsets.UTF_8.name())));
        // a guard only: the connect and read timeouts end a call first (the first TLS call also loads the trust store)
        long atMost = connectTimeout().toMillis() + readTimeout().toMillis() + 10_000;
        int status;
        try {
            HttpClientResponse response = call.toCompletionStage().toCompletableFuture().get(atMost, TimeUnit.MILLISECONDS);
            status = response.statusCode();
            response.request().connection().close(); // the answer's body is not read: nothing of it is kept or shown
        } catch (TimeoutException e) {
            call.onSuccess(response -> response.request().connection().close());
            throw new CallFailed("timed out", true);
        } catch (ExecutionException e) {
            LOG.debugf(e.getCause(), "Webhook call to %s failed", uri.getHost());
            throw new CallFailed(reason(e.getCause()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("interrupted", true);
        }
        if (status / 100 == 3) {
            throw new CallFailed("HTTP " + status + " (redirects are not followed)", true);
        }
        if (status / 100 != 2) {
            throw new CallFailed("HTTP " + status, true);
        }
    }

    /** Between 100 ms and 60 s whatever is configured: 0 would mean no timeout, and a call must never hold a worker for long. */
    private Duration connectTimeout() {
        return clamp(config.webhooks().connectTimeout());
    }

    private Duration readTimeout() {
        return clamp(config.webhooks().readTimeout());
    }

    private static Duration clamp(Duration value) {
        Duration least = Duration.ofMillis(100);
        Duration most = Duration.ofSeconds(60);
        return value.compareTo(least) < 0 ? least : value.compareTo(most) > 0 ? most : value;
    }

    /** The network error in the fixed vocabulary, from the exception's type (its message can name addresses). */
    static String reason(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String type = e.getClass().getName().toLowerCase(Locale.ROOT);
            if (type.contains("timeout")) {
                return "timed out";
            }
            if (e instanceof SSLException) {
                return "TLS handshake failed";
            }
            if (e instanceof ConnectException) {
                return "connection refused";
            }
            if (e instanceof UnknownHostException) {
                return "the address could not be resolved";
            }
            if (type.contains("closed")) {
                return "the connection was closed before an answer";
            }
        }
        return "connection failed";
    }

    static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
