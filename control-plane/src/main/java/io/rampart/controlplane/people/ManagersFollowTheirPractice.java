package io.rampart.controlplane.people;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.tenancy.PracticeMoved;

/**
 * A practice moved to another group takes its practice managers with it: their group_id attribute in Keycloak is set
 * to the new group after the move commits, so the new group's manager lists them and the old one no longer does.
 * Access never waits for this (CurrentCaller takes a practice manager's group from the practice itself); when Keycloak
 * is away the attribute stays old, is logged, and an admin's "change access" sets it.
 */
@ApplicationScoped
public class ManagersFollowTheirPractice {

    private static final Logger LOG = Logger.getLogger(ManagersFollowTheirPractice.class);

    @Inject
    PeopleDirectory directory;

    void onMoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) PracticeMoved moved) {
        try {
            for (Person person : directory.listIn(moved.providerId(), moved.fromGroupId())) {
                if (person.role() == Role.PRACTICE_MANAGER && moved.practiceId().equals(person.practiceId())) {
                    directory.changeAccess(person.id(), Role.PRACTICE_MANAGER, moved.providerId(), moved.toGroupId(), moved.practiceId());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("The practice managers of practice %s still name group %s in Keycloak (%s); their access follows the practice "
                    + "anyway, and changing their access on the People page corrects the attribute", moved.practiceId(), moved.fromGroupId(),
                    e.getMessage());
        }
    }
}
