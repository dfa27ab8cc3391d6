package io.rampart.controlplane.contacts;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rampart.controlplane.contacts.ContactBook.ContactRequest;
import io.rampart.controlplane.contacts.ContactBook.ContactView;
import io.rampart.controlplane.policy.group.GroupPolicies;
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.PracticeGroup;

@Path("/api/groups/{groupId}/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts", description = "Who is told when a practice's backups fail")
public class GroupContactResource {

    @Inject
    ContactBook contacts;
    @Inject
    GroupPolicies groups;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "The contacts of every practice of the group")
    public List<ContactView> list(@PathParam("groupId") UUID groupId) {
        PracticeGroup group = group(groupId);
        return Contact.<Contact> list("groupId = ?1 and practiceId is null order by role, name", group.id).stream()
                .map(ContactView::of).toList();
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "Add a contact for every practice of the group (e.g. the IT provider's service desk)")
    public Response add(@PathParam("groupId") UUID groupId, ContactRequest request) {
        PracticeGroup group = group(groupId);
        Contact added = contacts.add(caller.get(), group.providerId, group.id, null, request);
        return Response.status(Response.Status.CREATED).entity(ContactView.of(added)).build();
    }

    @DELETE
    @Path("/{contactId}")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "Remove a contact of the group")
    public Response remove(@PathParam("groupId") UUID groupId, @PathParam("contactId") UUID contactId) {
        PracticeGroup group = group(groupId);
        Contact contact = Contact.<Contact> find("id = ?1 and groupId = ?2 and practiceId is null", contactId, group.id)
                .firstResultOptional().orElseThrow(() -> new NotFound("No such contact of this group"));
        contacts.remove(caller.get(), contact);
        return Response.noContent().build();
    }

    private PracticeGroup group(UUID groupId) {
        return groups.groupIn(caller.get().scope(), groupId)
                .orElseThrow(NotVisible::group);
    }
}
