package io.rampart.controlplane.people;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.rampart.controlplane.web.InvalidInput;
import io.rampart.controlplane.web.ProblemDetails;

/** The people directory's refusals as problem+json: 409 naming the field, 503 when Keycloak cannot be used. */
public final class PeopleProblems {

    private static final Logger LOG = Logger.getLogger(PeopleProblems.class);

    private PeopleProblems() {
    }

    @Provider
    public static class Conflict implements ExceptionMapper<AlreadyRegistered> {
        @Override
        public Response toResponse(AlreadyRegistered exception) {
            return Response.status(409).type(MediaType.valueOf(ProblemDetails.PROBLEM_JSON))
                    .entity(new ProblemDetails.Problem("about:blank", "Conflict", 409, exception.getMessage(),
                            List.of(new InvalidInput.FieldError(exception.field(), exception.getMessage()))))
                    .build();
        }
    }

    @Provider
    public static class Unavailable implements ExceptionMapper<PeopleDirectoryUnavailable> {
        @Override
        public Response toResponse(PeopleDirectoryUnavailable exception) {
            // the cause is logged for whoever runs the installation; the person reads only the message
            LOG.warn(exception.getMessage(), exception.getCause());
            return Response.status(503).type(MediaType.valueOf(ProblemDetails.PROBLEM_JSON)).header("Retry-After", "30")
                    .entity(new ProblemDetails.Problem("about:blank", "Service Unavailable", 503, exception.getMessage(), null))
                    .build();
        }
    }
}
