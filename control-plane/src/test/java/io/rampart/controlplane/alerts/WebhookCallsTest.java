package io.rampart.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.vertx.core.Vertx;

import io.rampart.controlplane.RampartConfig;

/**
 * Webhook calls against real receivers on this computer (JDK HttpServer, a raw socket that counts
 * connections): what is refused before any connection is made, what a failure says, and that the
 * words never carry the receiver's answer or an address.
 */
class WebhookCallsTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer receiver;
    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void startReceivers() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/ok", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            byte[] answer = "java.sql.SQLException at db-internal.corp 10.1.2.3:5432 password=hunter2".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.createContext("/slow", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS); // accepts and never answers in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.start();
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread accepting = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accepting.setDaemon(true);
        accepting.start();
    }

    @AfterEach
    void stopReceivers() throws IOException {
        release.countDown();
        receiver.stop(0);
        listener.close();
        vertx.close();
    }

    @Test
    void deliversTheSignedBodyToAReceiverTheOperatorAllows() {
        WebhookCalls calls = calls(true, List.of());
        calls.post(url("/ok"), "rpw_secret", "{\"event\":\"alert.opened\"}");
        assertThat(bodies).containsExactly("{\"event\":\"alert.opened\"}");
    }

    @Test
    void everyFormOfAnInternalAddressIsRefusedBeforeAnyConnectionIsMade() {
        WebhookCalls calls = calls(false, List.of());
        int port = listener.getLocalPort();
        List<String> internal = List.of("https://127.0.0.1:%d/", "https://localhost:%d/", "https://localhost.:%d/", "https://LOCALHOST:%d/",
                "https://[::1]:%d/", "https://[::ffff:127.0.0.1]:%d/", "https://[0:0:0:0:0:ffff:7f00:1]:%d/", "https://[::127.0.0.1]:%d/",
                "https://[64:ff9b::7f00:1]:%d/", "https://[2002:7f00:1::]:%d/", "https://0.0.0.0:%d/", "https://[::]:%d/",
                "https://2130706433:%d/", "https://0x7f.1:%d/", "https://0x7f000001:%d/", "https://127.1:%d/", "https://0177.0.0.1:%d/",
                "https://017700000001:%d/", "https://a@127.0.0.1:%d/", "https://hooks.example.com@127.0.0.1:%d/",
                "https://\uff11\uff12\uff17.\uff10.\uff10.\uff11:%d/", "http://127.0.0.1:%d/", "ftp://127.0.0.1:%d/");
        for (String form : internal) {
            String url = form.formatted(port);
            assertThatThrownBy(() -> calls.post(url, "rpw_secret", "{}")).as(url).isInstanceOf(WebhookCalls.CallFailed.class)
                    .satisfies(e -> assertThat(((WebhookCalls.CallFailed) e).retryable()).as(url).isFalse())
                    .message().isIn("the destination is not allowed",
                            "the destination is not a public address (loopback, link-local, private or reserved)");
        }
        assertThat(connections.get()).isZero();
    }

    @Test
    void theValidatorSaysWhatIsWrongWithEachUnusualForm() {
        WebhookDestinations rules = new WebhookDestinations(false, List.of());
        assertThat(rules.checkUrl("https://2130706433/")).contains("write an IPv4 address as four decimal numbers (e.g. 203.0.113.7), or use the host's name");
        assertThat(rules.checkUrl("https://a@hooks.example.com/")).get().asString().startsWith("no user name or password");
        assertThat(rules.checkUrl("http://hooks.example.com/")).get().asString().startsWith("an https:// address");
        assertThat(rules.checkUrl("https://b\u00fccher.example/")).get().asString().contains("xn--");
        assertThat(rules.checkUrl("https://hooks.slack.com/services/T0/B0/XYZ")).isEmpty();
        assertThat(rules.checkUrl("https://203.0.113.7/hook")).isEmpty();
    }

    @Test
    void onlyPublicUnicastAddressesArePublic() throws Exception {
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
                "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "fec0::1")) {
            assertThat(WebhookDestinations.isPublic(InetAddress.getByName(internal))).as(internal).isFalse();
        }
        for (String external : List.of("93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8")) {
            assertThat(WebhookDestinations.isPublic(InetAddress.getByName(external))).as(external).isTrue();
        }
    }

    @Test
    void aNetworkTheOperatorListsIsReachedAndTheTlsFailureIsNamedPlainly() throws IOException {
        WebhookCalls calls = calls(false, List.of("127.0.0.0/8"));
        try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread answering = new Thread(() -> { // answers a TLS client hello in plain HTTP
                try (Socket socket = plain.accept()) {
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    socket.getInputStream().read();
                } catch (IOException e) {
                    // the client went away
                }
            });
            answering.setDaemon(true);
            answering.start();
            assertThatThrownBy(() -> calls.post("https://127.0.0.1:" + plain.getLocalPort() + "/ok", "rpw_secret", "{}"))
                    .hasMessage("TLS handshake failed");
        }
        assertThatThrownBy(() -> new WebhookDestinations(false, List.of("localhost/8"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a CIDR like 10.20.0.0/16");
    }

    @Test
    void failuresAreDescribedInAFixedVocabularyNeverWithTheReceiversAnswer() throws IOException {
        WebhookCalls calls = calls(true, List.of());
        assertThatThrownBy(() -> calls.post(url("/broken"), "rpw_secret", "{}")).hasMessage("HTTP 500");
        assertThatThrownBy(() -> calls.post(url("/moved"), "rpw_secret", "{}")).hasMessage("HTTP 302 (redirects are not followed)");
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = free.getLocalPort();
        }
        assertThatThrownBy(() -> calls.post("http://127.0.0.1:" + closedPort + "/", "rpw_secret", "{}")).hasMessage("connection refused");
        assertThatThrownBy(() -> calls.post("http://no-such-host.invalid/", "rpw_secret", "{}"))
                .hasMessage("the address could not be resolved");
        long started = System.nanoTime();
        assertThatThrownBy(() -> calls.post(url("/slow"), "rpw_secret", "{}")).hasMessage("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** A WebhookCalls as the control plane builds it, with a 2 s read timeout (and 5 s to connect on a busy machine). */
    private WebhookCalls calls(boolean allowPrivate, List<String> networks) {
        return calls(allowPrivate, networks, Duration.ofSeconds(5));
    }

    private WebhookCalls calls(boolean allowPrivate, List<String> networks, Duration connectTimeout) {
        RampartConfig.Webhooks webhooks = (RampartConfig.Webhooks) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { RampartConfig.Webhooks.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "allowPrivateDestinations" -> allowPrivate;
                    case "allowedNetworks" -> Optional.of(networks);
                    case "connectTimeout" -> connectTimeout;
                    case "readTimeout" -> Duration.ofSeconds(2);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        WebhookCalls calls = new WebhookCalls();
        calls.vertx = vertx;
        calls.config = (RampartConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { RampartConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("webhooks")) {
                        return webhooks;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        calls.start();
        return calls;
    }
}
