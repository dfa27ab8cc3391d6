package io.rampart.controlplane.agents;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A refusal of an agent's call, with the gRPC status and a message the agent's operator can act on. */
public class AgentApiException extends RuntimeException {

    private final Status.Code code;

    public AgentApiException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public static AgentApiException unauthenticated(String message) {
        return new AgentApiException(Status.Code.UNAUTHENTICATED, message);
    }

    public static AgentApiException invalid(String message) {
        return new AgentApiException(Status.Code.INVALID_ARGUMENT, message);
    }

    public static AgentApiException permissionDenied(String message) {
        return new AgentApiException(Status.Code.PERMISSION_DENIED, message);
    }

    public static AgentApiException unavailable(String message) {
        return new AgentApiException(Status.Code.UNAVAILABLE, message);
    }

    public StatusRuntimeException toStatus() {
        return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
    }
}
