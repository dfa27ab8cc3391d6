package io.rampart.controlplane.tenancy;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.panache.common.Sort;

@Path("/api/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Groups", description = "Groups of practices and the practices in them")
public class GroupResource {

    @Inject
    Clock clock;

    public record GroupView(UUID id, UUID providerId, String name) {
    }

    public record NewPractice(@NotNull @NotBlank @Size(max = 200) String name) {
    }

    public record PracticeView(UUID id, UUID groupId, UUID providerId, String name) {
    }

    @GET
    @Operation(summary = "The groups of practices")
    public List<GroupView> groups() {
        return PracticeGroup.<PracticeGroup> listAll(Sort.by("name")).stream()
                .map(g -> new GroupView(g.id, g.providerId, g.name)).toList();
    }

    @POST
    @Path("/{groupId}/practices")
    @Transactional
    @Operation(summary = "Add a practice to a group")
    public Response addPractice(@PathParam("groupId") UUID groupId, @Valid @NotNull NewPractice request) {
        PracticeGroup group = PracticeGroup.<PracticeGroup> findByIdOptional(groupId)
                .orElseThrow(() -> new NotFoundException("No group " + groupId));
        Practice practice = new Practice();
        practice.id = UUID.randomUUID();
        practice.providerId = group.providerId;
        practice.groupId = group.id;
        practice.name = request.name().strip();
        practice.createdAt = clock.instant();
        practice.persist();
        return Response.status(Response.Status.CREATED)
                .entity(new PracticeView(practice.id, practice.groupId, practice.providerId, practice.name)).build();
    }
}
