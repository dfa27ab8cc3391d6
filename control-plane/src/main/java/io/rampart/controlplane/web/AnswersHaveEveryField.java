package io.rampart.controlplane.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Marks every property of the schemas the API answers with as required in the OpenAPI document.
 *
 * <p>Why: the answers are Java records written by Jackson, which writes every component, a null one
 * as {@code null} (the control plane sets no NON_NULL inclusion; {@link ProblemDetails}'
 * {@code errors} is the one exception and is not a schema of the document). SmallRye OpenAPI lists
 * no property of a record as required, so the web UI's generated types (openapi-typescript, from
 * web-ui/openapi/rampart-openapi.json) would make every field optional. A property that can be
 * {@code null} says so with {@code @Schema(nullable = true)} on its record component.
 *
 * <p>Only schemas reached from an answer and never from a request body: a request may leave out what
 * its record allows to be absent (Bean Validation says what it may not).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class AnswersHaveEveryField implements OASFilter {

    private static final String REF_PREFIX = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null || openAPI.getPaths() == null) {
            return;
        }
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Set<String> answered = new HashSet<>();
        Set<String> sent = new HashSet<>();
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            answers(operation).forEach(content -> reach(content, schemas, answered));
            if (operation.getRequestBody() != null) {
                reach(operation.getRequestBody().getContent(), schemas, sent);
            }
        }));
        answered.removeAll(sent);
        for (String name : answered) {
            Schema schema = schemas.get(name);
            if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
                continue;
            }
            Set<String> required = new LinkedHashSet<>(Objects.requireNonNullElse(schema.getRequired(), List.of()));
            required.addAll(schema.getProperties().keySet());
            schema.setRequired(new ArrayList<>(required));
        }
    }

    private static List<Content> answers(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return List.of();
        }
        return operation.getResponses().getAPIResponses().values().stream()
                .map(response -> response.getContent()).filter(Objects::nonNull).toList();
    }

    private static void reach(Content content, Map<String, Schema> schemas, Set<String> names) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().values().forEach(media -> reach(media.getSchema(), schemas, names));
    }

    /** Adds the component schemas {@code schema} refers to, at any depth, to {@code names}. */
    private static void reach(Schema schema, Map<String, Schema> schemas, Set<String> names) {
        if (schema == null) {
            return;
        }
        String ref = schema.getRef();
        if (ref != null && ref.startsWith(REF_PREFIX)) {
            String name = ref.substring(REF_PREFIX.length());
            if (names.add(name)) {
                reach(schemas.get(name), schemas, names);
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> reach(property, schemas, names));
        }
        reach(schema.getItems(), schemas, names);
        reach(schema.getAdditionalPropertiesSchema(), schemas, names);
        Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()).filter(Objects::nonNull)
                .forEach(parts -> parts.forEach(part -> reach(part, schemas, names)));
    }
}
