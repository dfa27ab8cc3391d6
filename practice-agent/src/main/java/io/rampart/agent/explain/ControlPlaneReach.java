package io.rampart.agent.explain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;

import io.rampart.agent.config.AgentHome;
import io.rampart.agent.config.EnrolledIdentity;
import io.rampart.agent.transport.ControlPlaneClient;
import io.rampart.protocol.agent.v1.AgentConfiguration;
import io.rampart.protocol.agent.v1.AgentServiceGrpc;
import io.rampart.protocol.agent.v1.GetConfigurationRequest;
import io.rampart.protocol.identity.Pem;

/**
 * Whether this agent reaches its control plane, step by step, each step named with the address when it fails: the
 * name (DNS), a TCP connection, a TLS handshake with the agent's own certificate trusting only its CA ({@code ca.crt}),
 * and a real call ({@code GetConfiguration}, which changes nothing). The call's answer also tells the configuration
 * version the control plane has for this agent, and its HTTP/2 {@code date} header, when the server sends one, the
 * control plane's clock.
 */
public final class ControlPlaneReach {

    /** What the last step learned: the configuration offered, and the control plane's clock when it said. */
    public record Answer(Optional<AgentConfiguration> configuration, Optional<Instant> serverTime) {
    }

    private static final Metadata.Key<String> DATE = Metadata.Key.of("date", Metadata.ASCII_STRING_MARSHALLER);

    private final EnrolledIdentity identity;
    private final AgentHome home;
    private final Duration timeout;

    public ControlPlaneReach(EnrolledIdentity identity, AgentHome home, Duration timeout) {
        this.identity = identity;
        this.home = home;
        this.timeout = timeout;
    }

    /** Adds a finding per step to {@code findings}, stopping at the first that fails; what the call answered. */
    public Answer examine(List<Finding> findings, long savedVersion) {
        URI server = identity.server();
        String host = server.getHost();
        int port = server.getPort() != -1 ? server.getPort() : 443;
        String address = host + ":" + port;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            findings.add(Finding.problem("control plane name (DNS)", "cannot resolve " + host + " (the server in " + home.identityFile() + ")",
                    "check that this computer's DNS works (e.g. `getent hosts " + host + "`) and that the name is your control plane's"));
            return empty();
        }
        findings.add(Finding.ok("control plane name (DNS)", host + " is " + Arrays.stream(addresses).map(InetAddress::getHostAddress)
                .collect(Collectors.joining(", "))));

        Socket tcp = null;
        String tcpProblem = "";
        for (InetAddress candidate : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(candidate, port), (int) timeout.toMillis());
                tcp = socket;
                break;
            } catch (SocketTimeoutException e) {
                tcpProblem = "no answer from " + candidate.getHostAddress() + ":" + port + " within " + timeout.toSeconds() + " s";
                closeQuietly(socket);
            } catch (IOException e) {
                tcpProblem = candidate.getHostAddress() + ":" + port + " refused or unreachable (" + e.getMessage() + ")";
                closeQuietly(socket);
            }
        }
        if (tcp == null) {
            findings.add(Finding.problem("control plane connection (TCP)", "no TCP connection to " + address + ": " + tcpProblem,
                    "is the control plane running at that address, and does a firewall between here and it let TCP port " + port + " through?"));
            return empty();
        }
        findings.add(Finding.ok("control plane connection (TCP)", "connected to " + address + " (" + tcp.getInetAddress().getHostAddress() + ")"));

        try (Socket plain = tcp) {
            Optional<String> tlsProblem = handshake(plain, host, port);
            if (tlsProblem.isPresent()) {
                findings.add(Finding.problem("control plane TLS", "the TLS handshake with " + address + " failed: " + tlsProblem.get(),
                        "the agent trusts only the CA in " + home.caFile() + " and shows its own certificate " + home.certificateFile()
                                + ": if this is your control plane's address, enrol the agent again with a new token"));
                return empty();
            }
        } catch (IOException e) {
            // closing only
        }
        findings.add(Finding.ok("control plane TLS", "handshake with " + address + " using this agent's certificate"));
        return call(findings, address, savedVersion);
    }

    private Answer call(List<Finding> findings, String address, long savedVersion) {
        AtomicReference<String> date = new AtomicReference<>();
        ManagedChannel channel = ControlPlaneClient.channelFor(identity.server(), home.certificate().channelCredentials());
        try {
            Channel intercepted = ClientInterceptors.intercept(channel, new DateHeader(date));
            AgentConfiguration configuration = AgentServiceGrpc.newBlockingStub(intercepted).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .getConfiguration(GetConfigurationRequest.newBuilder().setKnownVersion(savedVersion).build()).getConfiguration();
            findings.add(Finding.ok("control plane answers", "GetConfiguration at " + address + ": configuration version "
                    + configuration.getVersion() + " with " + configuration.getChecksCount() + (configuration.getChecksCount() == 1 ? " check" : " checks")
                    + (configuration.getVersion() == savedVersion ? " (the agent has it)"
                            : savedVersion == 0 ? " (the agent has none saved yet; the running agent takes it within minutes)"
                            : " (the agent has saved version " + savedVersion + "; the running agent takes the new one within minutes)")));
            return new Answer(Optional.of(configuration), parseDate(date.get()));
        } catch (StatusRuntimeException e) {
            String said = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")");
            String fix = switch (e.getStatus().getCode()) {
                case UNAUTHENTICATED, PERMISSION_DENIED -> "the control plane does not accept this agent (revoked, or its certificate "
                        + "expired): ask your IT provider for a new enrolment token and run `rampart-agent enroll` again";
                case UNIMPLEMENTED -> "something answers at " + address + " but it is not Rampart's agent service: check the port in "
                        + home.identityFile();
                case DEADLINE_EXCEEDED -> "the control plane is reachable but slow or overloaded: try again, and tell your IT provider if it lasts";
                default -> "tell your IT provider the line above; the agent keeps its results in the outbox until the control plane answers";
            };
            findings.add(Finding.problem("control plane answers", "GetConfiguration at " + address + " failed: " + said, fix));
            return empty();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The reason a handshake failed, in words; empty when it succeeded. */
    private Optional<String> handshake(Socket plain, String host, int port) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<X509Certificate> chain = Pem.readCertificates(home.certificateFile());
            char[] none = new char[0];
            keys.setKeyEntry("agent", Pem.readPrivateKey(home.privateKeyFile()), none, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, none);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.readCertificates(home.caFile())) {
                trust.setCertificateEntry("ca-" + (i++), ca);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            plain.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setApplicationProtocols(new String[] { "h2" });
                tls.setSSLParameters(parameters);
                tls.startHandshake();
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of("no TLS answer within " + timeout.toSeconds() + " s (is this a TLS port?)");
        } catch (IOException e) {
            return Optional.of(reason(e, host));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of("the agent's certificate or key cannot be used: " + e.getMessage());
        }
    }

    private static String reason(Throwable e, String host) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        String all = String.join(" / ", messages);
        if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            return "the server's certificate is not signed by the CA this agent trusts (" + first(messages) + ")";
        }
        if (all.contains("No subject alternative") || all.contains("No name matching")) {
            return "the server's certificate is not made out to " + host + " (" + first(messages) + ")";
        }
        if (all.contains("validity check failed") || all.contains("NotAfter") || all.contains("expired")) {
            return "a certificate is outside its validity (" + first(messages) + "): check this computer's clock";
        }
        if (all.contains("Unsupported or unrecognized SSL message") || all.contains("plaintext")) {
            return "the server does not speak TLS on this port (" + first(messages) + ")";
        }
        return first(messages);
    }

    private static String first(List<String> messages) {
        return messages.isEmpty() ? "unknown reason" : messages.get(0);
    }

    private static Optional<Instant> parseDate(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Answer empty() {
        return new Answer(Optional.empty(), Optional.empty());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    /** Keeps the response's {@code date} header, which HTTP servers and some gRPC servers send. */
    private static final class DateHeader implements ClientInterceptor {
        private final AtomicReference<String> date;

        DateHeader(AtomicReference<String> date) {
            this.date = date;
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata responseHeaders) {
                            date.set(responseHeaders.get(DATE));
                            super.onHeaders(responseHeaders);
                        }
                    }, headers);
                }
            };
        }
    }
}
