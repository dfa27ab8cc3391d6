package io.rampart.controlplane.people;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.TenantScope;

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

    /**
     * Creates and invites the person. An email Keycloak already has is refused (409 on email, {@link AlreadyRegistered}):
     * naming the person when they are one of the caller's own people (whom the caller can list anyway) or the caller is a
     * platform operator (above every tenancy), otherwise with {@link AlreadyRegistered#EMAIL_NOT_INVITABLE}, the same words
     * for another provider's person, an operator or anyone else, so no tenant learns of another's people.
     */
    @Transactional(TxType.MANDATORY)
    public PersonView.Invited invite(Caller caller, PeopleDirectory.NewPerson newPerson) {
        String id;
        try {
            id = directory.create(newPerson);
        } catch (AlreadyRegistered taken) {
            throw directory.findByEmail(newPerson.email()).filter(existing -> mayBeToldOf(caller, existing))
                    .map(existing -> alreadyYours(caller, existing)).orElse(taken);
        }
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

    /** Whether the caller may learn that this person exists: an operator always, others for a person they can list. */
    static boolean mayBeToldOf(Caller caller, Person person) {
        if (caller.isOperator()) {
            return true;
        }
        TenantScope scope = caller.scope();
        return scope.providerId().equals(person.providerId()) && (scope.groupId() == null || scope.groupId().equals(person.groupId()));
    }

    private static AlreadyRegistered alreadyYours(Caller caller, Person person) {
        String who = person.name() + " (" + (person.email() == null ? person.username() : person.email()) + ")";
        String role = person.role() == null ? "no Rampart role" : person.role().claimValue();
        if (caller.isOperator()) {
            return new AlreadyRegistered("email", who + " already has an account (" + role + (person.providerId() == null ? ""
                    : " of provider " + person.providerId()) + "); nothing was created");
        }
        return new AlreadyRegistered("email", who + " is already one of your people, as " + role + (person.enabled() ? "" : ", disabled")
                + (person.invitationPending() ? ", invitation not yet taken up" : "") + "; find them in the list of people to change"
                + " their role or reach" + (person.invitationPending() ? " or send the invitation again" : "") + ". Nothing was created");
    }

    /** Sends the set-password email again (a new link; the old one keeps working until it expires). */
    @Transactional(TxType.MANDATORY)
    public void resend(Caller caller, Person person) {
        directory.sendInvitation(person.id());
        audit.record(caller, new AuditLog.Change("person.invitation-sent", "person", person.id(), person.tenancy(), null,
                PersonView.Audited.of(person)));
    }
}
