package io.rampart.controlplane.agents;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** A refusal of an agent's call, with the gRPC status and a message the agent's operator can act on. */
public class AgentApiException extends RuntimeException {

    private final Status.Code code;
    private final BadRequest badRequest;

    public AgentApiException(Status.Code code, String message) {
        this(code, message, null);
    }

    private AgentApiException(Status.Code code, String message, BadRequest badRequest) {
        super(message);
        this.code = code;
        this.badRequest = badRequest;
    }

    /** INVALID_ARGUMENT naming the bad fields (google.rpc.BadRequest), as agent_service.proto's ReportEvents promises. */
    public static AgentApiException invalid(String message, BadRequest badRequest) {
        return new AgentApiException(Status.Code.INVALID_ARGUMENT, message, badRequest);
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

    /** The gRPC status code the agent gets. */
    public Status.Code code() {
        return code;
    }

    /** The BadRequest detail of the refusal; null when it names no fields. */
    public BadRequest badRequest() {
        return badRequest;
    }

    public StatusRuntimeException toStatus() {
        if (badRequest != null) {
            // the detail travels in the grpc-status-details-bin trailer, read with StatusProto.fromThrowable
            return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(code.value()).setMessage(getMessage()).addDetails(Any.pack(badRequest)).build());
        }
        return Status.fromCode(code).withDescription(getMessage()).asRuntimeException();
    }
}
