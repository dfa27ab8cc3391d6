package io.rampart.controlplane.people;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.tenancy.Caller;

/**
 * Invites a person whose role and reach the caller was allowed to give: creates them in Keycloak, audits it, and has
 * Keycloak send its set-password email. A person whose email could not be sent stays (the answer says why, and the
 * People page can send it again): nothing that was done is lost.
 */
@ApplicationScoped
public class Invitations {

    private static final Logger LOG = Logger.getLogger(Invitations.class);

    @Inject
    PeopleDirectory directory;
    @Inject
    AuditLog audit;

    @Transactional(TxType.MANDATORY)
    public PersonView.Invited invite(Caller caller, PeopleDirectory.NewPerson newPerson) {
        String id = directory.create(newPerson);
        Person person = directory.find(id).orElseThrow(() -> new PeopleDirectoryUnavailable("Keycloak lost the person it just created"));
        audit.record(caller, new AuditLog.Change("person.invited", "person", id, person.tenancy(), null, PersonView.Audited.of(person)));
        String problem = null;
        try {
            directory.sendInvitation(id);
        } catch (RuntimeException e) {
            LOG.warnf("The set-password email for person %s was not sent: %s", id, e.getMessage());
            problem = "The person was created, but Keycloak could not send the set-password email (" + e.getMessage()
                    + "). Send the invitation again from the People page once Keycloak's email works.";
        }
        return new PersonView.Invited(PersonView.of(person), problem == null, problem);
    }

    /** Sends the set-password email again (a new link; the old one keeps working until it expires). */
    @Transactional(TxType.MANDATORY)
    public void resend(Caller caller, Person person) {
        directory.sendInvitation(person.id());
        audit.record(caller, new AuditLog.Change("person.invitation-sent", "person", person.id(), person.tenancy(), null,
                PersonView.Audited.of(person)));
    }
}
