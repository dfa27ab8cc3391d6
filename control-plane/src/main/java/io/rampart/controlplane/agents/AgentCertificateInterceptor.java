package io.rampart.controlplane.agents;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Lifts the client certificate the agent presented in the TLS handshake (already checked against
 * the agents' CA there) into the gRPC context; {@link AgentAuthenticator} decides what it may do.
 */
@ApplicationScoped
@GlobalInterceptor
public class AgentCertificateInterceptor implements ServerInterceptor {

    static final Context.Key<X509Certificate> CERTIFICATE = Context.key("rampart-agent-certificate");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(CERTIFICATE, peerCertificate(call)), call, headers, next);
    }

    private static X509Certificate peerCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate certificate ? certificate : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }
}
