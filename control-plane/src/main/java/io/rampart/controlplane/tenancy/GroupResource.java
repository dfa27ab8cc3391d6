package io.rampart.controlplane.tenancy;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;
import io.rampart.controlplane.audit.AuditLog;

@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Groups", description = "Groups of practices and the practices in them")
public class GroupResource {

    @Inject
    Clock clock;
    @Inject
    CurrentCaller caller;
    @Inject
    AuditLog audit;

    public record GroupView(UUID id, UUID providerId, String name) {
    }

    // PostgreSQL cannot store a NUL character in text: refused here, not a 500 at the insert
    public record NewPractice(@NotNull @NotBlank @Size(max = 200)
            @jakarta.validation.constraints.Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters such as NUL")
            String name) {
    }

    public record PracticeView(UUID id, UUID groupId, UUID providerId, String name) {
    }

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The groups of practices the caller may see")
    public List<GroupView> groups() {
        TenantScope scope = caller.get().scope();
        return PracticeGroup.<PracticeGroup> list(scope.where("providerId", "id", null), Sort.by("name"),
                scope.parameters("providerId", "id", null)).stream()
                .map(g -> new GroupView(g.id, g.providerId, g.name)).toList();
    }

    @POST
    @Path("/{groupId}/practices")
    @RolesAllowed(Role.ADMIN)
    @Transactional
    @Operation(summary = "Add a practice to a group")
    public Response addPractice(@PathParam("groupId") UUID groupId, @Valid @NotNull NewPractice request) {
        TenantScope scope = caller.get().scope();
        PracticeGroup group = PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).firstResultOptional()
                .orElseThrow(NotVisible::group);
        Practice practice = new Practice();
        practice.id = UUID.randomUUID();
        practice.providerId = group.providerId;
        practice.groupId = group.id;
        practice.name = request.name().strip();
        practice.createdAt = clock.instant();
        practice.persist();
        PracticeView created = new PracticeView(practice.id, practice.groupId, practice.providerId, practice.name);
        audit.record(caller.get(), new AuditLog.Change("practice.created", "practice", practice.id.toString(), practice.tenancy(), null, created));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }
}
