package io.rampart.controlplane.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Quarkus brings its own mapper for {@link MismatchedInputException} (an empty 400 outside dev
 * mode), which is nearer to that exception than {@link ProblemDetails}' catch-all: these two take
 * Jackson's failures back to {@link ProblemDetails}, so a body of the wrong shape gets a problem
 * that names the field and what it takes ({@link JsonBodyProblems}).
 */
public final class UnreadableJsonBody {

    private UnreadableJsonBody() {
    }

    /** A value of the wrong kind for its field, e.g. a text where a whole number goes. */
    @Provider
    public static class WrongShape implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException exception) {
            return new ProblemDetails().toResponse(exception);
        }
    }

    /** Not JSON at all, nested too deeply, or a number or text past Jackson's limits. */
    @Provider
    public static class NotJson implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException exception) {
            return new ProblemDetails().toResponse(exception);
        }
    }
}
