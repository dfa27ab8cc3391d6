package io.rampart.controlplane.contacts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rampart.controlplane.tenancy.PracticeMoved;

/** A moved practice takes its own contacts to its new group; the group contacts of the old group stay with that group. */
@ApplicationScoped
public class ContactTenancyChanges {

    void onMoved(@Observes PracticeMoved move) {
        Contact.update("groupId = ?1 where practiceId = ?2", move.toGroupId(), move.practiceId());
    }
}
