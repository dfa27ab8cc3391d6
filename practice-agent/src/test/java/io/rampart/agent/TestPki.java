package io.rampart.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import com.google.protobuf.ByteString;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;

import io.rampart.protocol.identity.CertificateAuthority;
import io.rampart.protocol.identity.Pem;

/** A CA and a localhost server certificate for the agent's tests, made the way the control plane makes its own. */
public final class TestPki {

    private final CertificateAuthority ca = CertificateAuthority.create("Rampart agent test CA", Instant.now(), Duration.ofDays(30));
    private final KeyPair serverKeys = io.rampart.protocol.identity.CertificateRequests.newKeyPair();
    private final X509Certificate serverCertificate = ca.issueServer(serverKeys.getPublic(), List.of("localhost", "127.0.0.1"),
            Instant.now(), Duration.ofDays(30));

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public ByteString caDer() {
        try {
            return ByteString.copyFrom(ca.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as the install command would hand it to the agent. */
    public Path writeCa(Path file) throws IOException {
        Files.writeString(file, Pem.certificates(List.of(ca.certificate())));
        return file;
    }

    public ByteString sign(ByteString certificateSigningRequest, String agentId, Duration validity) {
        try {
            return ByteString.copyFrom(ca.signAgent(certificateSigningRequest.toByteArray(), agentId, Instant.now(), validity).getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS with this CA's server certificate; a client certificate is asked for but not required (Enroll has none yet). */
    public ServerCredentials serverCredentials() {
        try {
            return TlsServerCredentials.newBuilder()
                    .keyManager(stream(Pem.certificates(List.of(serverCertificate))), stream(Pem.privateKey(serverKeys.getPrivate())))
                    .trustManager(stream(Pem.certificates(List.of(ca.certificate()))))
                    .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The agent id the call's client certificate names, if it presented one. */
    public static Optional<String> agentIdOf(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return CertificateAuthority.agentId((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
