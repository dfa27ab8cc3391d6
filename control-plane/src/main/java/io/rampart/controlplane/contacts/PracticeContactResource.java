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
import io.rampart.controlplane.shared.CurrentCaller;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeRepository;

@Path("/api/practices/{practiceId}/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts", description = "Who is told when a practice's backups fail")
public class PracticeContactResource {

    @Inject
    ContactBook contacts;
    @Inject
    PracticeRepository practices;
    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP, Role.PRACTICE })
    @Transactional
    @Operation(summary = "The practice's contacts, its group's included (they have no practiceId)")
    public List<ContactView> list(@PathParam("practiceId") UUID practiceId) {
        Practice practice = practice(practiceId);
        return contacts.forPractice(practice.groupId, practice.id).stream().map(ContactView::of).toList();
    }

    @POST
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "Add an IT contact or the practice manager; invalid input is refused with a message per field")
    public Response add(@PathParam("practiceId") UUID practiceId, ContactRequest request) {
        Practice practice = practices.liveIn(caller.get().scope(), practiceId);
        Contact added = contacts.add(caller.get(), practice.providerId, practice.groupId, practice.id, request);
        return Response.status(Response.Status.CREATED).entity(ContactView.of(added)).build();
    }

    @DELETE
    @Path("/{contactId}")
    @RolesAllowed({ Role.ADMIN, Role.TECHNICIAN, Role.GROUP })
    @Transactional
    @Operation(summary = "Remove one of the practice's own contacts")
    public Response remove(@PathParam("practiceId") UUID practiceId, @PathParam("contactId") UUID contactId) {
        Practice practice = practices.liveIn(caller.get().scope(), practiceId);
        Contact contact = Contact.<Contact> find("id = ?1 and practiceId = ?2", contactId, practice.id).firstResultOptional()
                .orElseThrow(() -> new NotFound("No such contact of this practice"));
        contacts.remove(caller.get(), contact);
        return Response.noContent().build();
    }

    private Practice practice(UUID practiceId) {
        return practices.findIn(caller.get().scope(), practiceId)
                .orElseThrow(NotVisible::practice);
    }
}
