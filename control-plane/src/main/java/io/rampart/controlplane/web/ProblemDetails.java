package io.rampart.controlplane.web;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;


/** Every REST error as RFC 9457 problem+json; only server errors are logged. */
@Provider
public class ProblemDetails implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemDetails.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    /** {@code errors}: the field-by-field problems of an {@link InvalidInput}, absent otherwise. */
    public record Problem(String type, String title, int status, String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<InvalidInput.FieldError> errors) {
    }

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            // Jackson's own text names Java types and "[Source: REDACTED]": say which field and what it takes
            exception = JsonBodyProblems.describe(unreadable);
        } else if (exception instanceof WebApplicationException web && web.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException unreadable
                && web.getResponse().getStatus() == 400) {
            exception = JsonBodyProblems.describe(unreadable);
        }
        int status;
        String detail;
        List<InvalidInput.FieldError> errors = null;
        if (exception instanceof InvalidInput invalid) {
            status = 400;
            detail = exception.getMessage();
            errors = invalid.errors();
        } else if (exception instanceof WebApplicationException web) {
            status = web.getResponse().getStatus();
            detail = exception.getMessage();
        } else if (exception instanceof IllegalArgumentException) {
            status = 400;
            detail = exception.getMessage();
        } else {
            status = 500;
            detail = "Internal error; it has been logged";
            LOG.error("Request failed", exception);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return Response.status(status)
                .type(MediaType.valueOf(PROBLEM_JSON))
                .entity(new Problem("about:blank", title, status, detail, errors))
                .build();
    }
}
