package io.rampart.controlplane.policy.templates;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.document.PolicyDocument;
import io.rampart.controlplane.policy.document.PolicyReader;
import io.rampart.controlplane.policy.document.PolicyWriter;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.Tenancy;

@Path("/api/policy-templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Policy templates", description = "Named policies a provider keeps; applying one to a group is a PUT of its document to the group's policy")
public class PolicyTemplateResource {

    static final int MAX_NAME = 200;

    @Inject
    PolicyTemplateRepository templates;
    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;

    public record TemplateRequest(String name, JsonNode document) {
    }

    public record TemplateView(UUID id, String name, JsonNode document, String createdBy, Instant createdAt, String updatedBy,
            Instant updatedAt) {
    }

    @GET
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "The provider's policy templates, by name")
    public List<TemplateView> list() {
        return templates.listIn(caller.get().scope()).stream().map(this::view).toList();
    }

    @GET
    @Path("/{templateId}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "One policy template")
    public TemplateView get(@PathParam("templateId") UUID templateId) {
        return view(find(templateId));
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Keep a new policy template")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    @APIResponse(responseCode = "409", description = "The provider has a template of that name")
    public Response create(TemplateRequest request) {
        Caller me = caller.get();
        Valid valid = validate(request);
        UUID providerId = me.scope().providerId();
        refuseTakenName(providerId, valid.name(), null);
        PolicyTemplate template = new PolicyTemplate();
        template.id = UUID.randomUUID();
        template.providerId = providerId;
        template.name = valid.name();
        template.document = PolicyWriter.write(valid.document()).toString();
        template.createdBy = me.username();
        template.createdAt = now();
        template.updatedBy = template.createdBy;
        template.updatedAt = template.createdAt;
        templates.persist(template);
        TemplateView created = view(template);
        audit.record(me, new AuditLog.Change("policy-template.created", "policy-template", template.id.toString(), where(template), null,
                created));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @PUT
    @Path("/{templateId}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Rename a policy template or change its document; groups it was applied to keep their policy")
    @APIResponse(responseCode = "400", description = "Invalid: problem+json with an `errors` list of {field, message}")
    public TemplateView update(@PathParam("templateId") UUID templateId, TemplateRequest request) {
        PolicyTemplate template = find(templateId);
        Valid valid = validate(request);
        refuseTakenName(template.providerId, valid.name(), template.id);
        TemplateView before = view(template);
        template.name = valid.name();
        template.document = PolicyWriter.write(valid.document()).toString();
        template.updatedBy = caller.get().username();
        template.updatedAt = now();
        TemplateView after = view(template);
        audit.record(caller.get(), new AuditLog.Change("policy-template.updated", "policy-template", template.id.toString(), where(template),
                before, after));
        return after;
    }

    @DELETE
    @Path("/{templateId}")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Remove a policy template; groups it was applied to keep their policy")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("templateId") UUID templateId) {
        PolicyTemplate template = find(templateId);
        TemplateView before = view(template);
        templates.delete(template);
        audit.record(caller.get(), new AuditLog.Change("policy-template.deleted", "policy-template", template.id.toString(), where(template),
                before, null));
        return Response.noContent().build();
    }

    private record Valid(String name, PolicyDocument document) {
    }

    /** The name and the document, or every problem of both at once. */
    private static Valid validate(TemplateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            errors.add(new FieldError("name", "required"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "at most " + MAX_NAME + " characters"));
        }
        PolicyDocument document = null;
        try {
            document = PolicyReader.read(request == null ? null : request.document(), "document");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The template is invalid; nothing was changed", errors);
        }
        return new Valid(name, document);
    }

    private void refuseTakenName(UUID providerId, String name, UUID except) {
        if (templates.nameTaken(providerId, name, except == null ? new UUID(0, 0) : except)) {
            throw new Conflict("There is already a template named \"" + name + "\"; choose another name");
        }
    }

    private PolicyTemplate find(UUID templateId) {
        return templates.findIn(caller.get().scope(), templateId)
                .orElseThrow(() -> new NotFound("No such policy template, or not one you may see"));
    }

    private static Tenancy where(PolicyTemplate template) {
        return new Tenancy(template.providerId, null, null);
    }

    private TemplateView view(PolicyTemplate template) {
        try {
            return new TemplateView(template.id, template.name, json.readTree(template.document), template.createdBy, template.createdAt,
                    template.updatedBy, template.updatedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored template is not JSON: " + template.id, e);
        }
    }

    /** Microseconds, as the database keeps them, so an answer shows what a later read will. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
