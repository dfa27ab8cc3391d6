package io.rampart.controlplane.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;

/**
 * A request Bean Validation refused ({@code @Valid} on a body or a parameter) told as the project's own field errors:
 * one {@code {field, message}} per violation, the field a dotted path into the body ({@code sealed[0].keyId}), so the
 * web UI shows each under its field as it does for {@link InvalidInput}. Quarkus' own mapper would answer its
 * {@code violations} shape instead, which nothing here reads.
 */
public final class BeanValidationProblems {

    private BeanValidationProblems() {
    }

    /**
     * The 400 for violations of a request's parameters or body; empty when one is on a return value, which is the
     * server's own mistake (a 500).
     */
    static Optional<InvalidInput> describe(ConstraintViolationException exception) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString())).toList()) {
            Optional<String> field = fieldOf(violation.getPropertyPath());
            if (field.isEmpty()) {
                return Optional.empty();
            }
            errors.add(new FieldError(field.get(), violation.getMessage()));
        }
        String detail = errors.stream().map(e -> (e.field().isEmpty() ? "the request body" : e.field()) + " " + e.message())
                .collect(Collectors.joining("; "));
        return Optional.of(new InvalidInput("The request was refused: " + detail, errors));
    }

    /** The body's path of a violation ("" for the whole body), or empty for a return value's. */
    private static Optional<String> fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.RETURN_VALUE) {
                return Optional.empty();
            }
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.PARAMETER
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;  // the Java method and parameter name mean nothing to the person who sent the body
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                field.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && kind != ElementKind.CONTAINER_ELEMENT) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return Optional.of(field.toString());
    }

    /** Nearer to violations than Quarkus' own mapper (of ValidationException), so they come back to {@link ProblemDetails}. */
    @Provider
    public static class Refused implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException exception) {
            return new ProblemDetails().toResponse(exception);
        }
    }
}
