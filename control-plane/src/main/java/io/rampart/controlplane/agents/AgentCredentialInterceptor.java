package io.rampart.controlplane.agents;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/** Lifts the agent's bearer credential from the call's metadata into the gRPC context. */
@ApplicationScoped
@GlobalInterceptor
public class AgentCredentialInterceptor implements ServerInterceptor {

    static final Context.Key<String> CREDENTIAL = Context.key("rampart-agent-credential");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String authorization = headers.get(AUTHORIZATION);
        String credential = authorization != null && authorization.startsWith(BEARER) ? authorization.substring(BEARER.length()).trim() : null;
        return Contexts.interceptCall(Context.current().withValue(CREDENTIAL, credential), call, headers, next);
    }
}
