package io.rampart.controlplane.web;

import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.NotPermitted;
import io.rampart.controlplane.shared.Refusal;
import io.rampart.controlplane.shared.Unavailable;

/**
 * Every REST error as RFC 9457 problem+json, the one body the web UI reads: {@code detail} for a person, and for a
 * refusal about fields an {@code errors} list of {@code {field, message}}.
 * <ul>
 * <li>the services' {@link Refusal}s: {@link InvalidInput} 400, {@link NotPermitted} 403, {@link NotFound} 404,
 * {@link Conflict} 409, {@link Unavailable} 503 with Retry-After;</li>
 * <li>a body Bean Validation refused (400, one error per field: {@link BeanValidationProblems}) or Jackson could not read
 * (400 naming the field, or the line and column where it stops being JSON: {@link JsonBodyProblems});</li>
 * <li>what JAX-RS and Quarkus' security refuse before a service runs (no route 404, a wrong method 405, no token 401):
 * their own status;</li>
 * <li>anything else, {@code IllegalArgumentException} from a bug included: 500 "Internal error; it has been logged", with
 * the exception logged and its text never shown.</li>
 * </ul>
 */
@Provider
public class ProblemDetails implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemDetails.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    /** {@code errors}: the field-by-field problems of a refusal about fields, absent otherwise. */
    public record Problem(String type, String title, int status, String detail,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Refusal.FieldError> errors) {
    }

    @Override
    public Response toResponse(Throwable exception) {
        Throwable told = readable(exception);
        if (told instanceof Refusal refusal) {
            int status = statusOf(refusal);
            if (refusal instanceof Unavailable) {
                // for whoever runs the installation; the person reads only the message
                LOG.warn(refusal.getMessage(), refusal.getCause());
            }
            Response.ResponseBuilder response = problem(status, refusal.getMessage(), refusal.errors().isEmpty() ? null : refusal.errors());
            return refusal instanceof Unavailable ? response.header("Retry-After", Unavailable.RETRY_AFTER_SECONDS).build() : response.build();
        }
        if (told instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return problem(web.getResponse().getStatus(), web.getMessage(), null).build();
        }
        LOG.error("Request failed", told);
        return problem(500, "Internal error; it has been logged", null).build();
    }

    /** Jackson's and Bean Validation's failures as the {@link InvalidInput} a person can act on; others as they are. */
    private static Throwable readable(Throwable exception) {
        if (exception instanceof JsonProcessingException unreadable) {
            // Jackson's own text names Java types and "[Source: REDACTED]": say which field and what it takes
            return JsonBodyProblems.describe(unreadable);
        }
        if (exception instanceof WebApplicationException web && web.getCause() instanceof JsonProcessingException unreadable
                && web.getResponse().getStatus() == 400) {
            return JsonBodyProblems.describe(unreadable);
        }
        if (exception instanceof ConstraintViolationException violations) {
            return BeanValidationProblems.describe(violations).map(Throwable.class::cast).orElse(exception);
        }
        return exception;
    }

    private static int statusOf(Refusal refusal) {
        if (refusal instanceof InvalidInput) {
            return 400;
        }
        if (refusal instanceof NotPermitted) {
            return 403;
        }
        if (refusal instanceof NotFound) {
            return 404;
        }
        return refusal instanceof Conflict ? 409 : 503;
    }

    private static Response.ResponseBuilder problem(int status, String detail, List<Refusal.FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return Response.status(status).type(MediaType.valueOf(PROBLEM_JSON)).entity(new Problem("about:blank", title, status, detail, errors));
    }
}
