package io.rampart.controlplane.contacts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.policy.PolicyInputChanged;
import io.rampart.controlplane.policy.rules.Contacts;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.tenancy.Practice;

/** The contacts of practices and groups: who gets the failure emails, and whether the contacts rule is met. */
@ApplicationScoped
public class ContactBook {

    /** Deliberately loose (one @, a dot in the domain, no spaces): the mail server is the judge of the rest. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_TEXT = 200;

    @Inject
    AuditLog audit;
    @Inject
    Event<PolicyInputChanged> inputChanged;
    @Inject
    Clock clock;

    public record ContactRequest(String name, String email, Contact.Role role) {
    }

    public record ContactView(UUID id, UUID groupId, @Schema(nullable = true) UUID practiceId, String name, String email, Contact.Role role, String createdBy,
            Instant createdAt) {
        static ContactView of(Contact c) {
            return new ContactView(c.id, c.groupId, c.practiceId, c.name, c.email, c.role, c.createdBy, c.createdAt);
        }
    }

    /** Who a practice's alerts are emailed to: its own contacts and its group's, group managers aside (they get the digest). */
    public List<Contact> forPractice(UUID groupId, UUID practiceId) {
        return Contact.list("groupId = ?1 and (practiceId is null or practiceId = ?2) and role <> ?3 order by role, name", groupId, practiceId,
                Contact.Role.GROUP_MANAGER);
    }

    /** Who gets the group's daily digest. */
    public List<Contact> groupManagers(UUID groupId) {
        return Contact.list("groupId = ?1 and practiceId is null and role = ?2 order by name", groupId, Contact.Role.GROUP_MANAGER);
    }

    /** How many IT contacts and practice managers each practice has, its group's included, as the contacts rule counts them. */
    @Transactional(TxType.MANDATORY)
    public Map<UUID, Contacts> countsFor(Collection<Practice> practices) {
        List<UUID> groupIds = practices.stream().map(p -> p.groupId).distinct().toList();
        List<UUID> practiceIds = practices.stream().map(p -> p.id).toList();
        Map<UUID, List<Contact>> groupWide = new HashMap<>();
        Map<UUID, List<Contact>> own = new HashMap<>();
        for (Contact c : Contact.<Contact> list("groupId in ?1 and (practiceId is null or practiceId in ?2)", groupIds, practiceIds)) {
            (c.practiceId == null ? groupWide : own).computeIfAbsent(c.practiceId == null ? c.groupId : c.practiceId,
                    id -> new ArrayList<>()).add(c);
        }
        Map<UUID, Contacts> counts = new HashMap<>();
        for (Practice practice : practices) {
            List<Contact> all = new ArrayList<>(groupWide.getOrDefault(practice.groupId, List.of()));
            all.addAll(own.getOrDefault(practice.id, List.of()));
            counts.put(practice.id, new Contacts((int) all.stream().filter(c -> c.role == Contact.Role.IT_CONTACT).count(),
                    (int) all.stream().filter(c -> c.role == Contact.Role.PRACTICE_MANAGER).count()));
        }
        return counts;
    }

    /** Adds a contact (practiceId null: of the whole group), or refuses it with every field's problem. */
    @Transactional
    public Contact add(Caller caller, UUID providerId, UUID groupId, UUID practiceId, ContactRequest request) {
        ContactRequest given = request == null ? new ContactRequest(null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        String name = text(given.name());
        String email = text(given.email()).toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > MAX_TEXT) {
            errors.add(new FieldError("name", "required, at most " + MAX_TEXT + " characters"));
        }
        if (!isEmailAddress(email) || email.length() > MAX_TEXT) {
            errors.add(new FieldError("email", "an email address like it-team@example.com"));
        } else {
            Contact.<Contact> find("groupId = ?1 and " + (practiceId == null ? "practiceId is null" : "practiceId = ?3") + " and lower(email) = ?2",
                    practiceId == null ? new Object[] { groupId, email } : new Object[] { groupId, email, practiceId }).firstResultOptional()
                    .ifPresent(same -> errors.add(new FieldError("email", "already a contact here (" + same.name + ", " + same.role
                            + "); each address is emailed once, so add it once")));
        }
        if (given.role() == null) {
            errors.add(new FieldError("role", "required: IT_CONTACT, PRACTICE_MANAGER or (of a group) GROUP_MANAGER"));
        } else if (given.role() == Contact.Role.GROUP_MANAGER && practiceId != null) {
            errors.add(new FieldError("role", "a GROUP_MANAGER is a contact of the group, not of one practice"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The contact is invalid; nothing was added", errors);
        }
        Contact contact = new Contact();
        contact.id = UUID.randomUUID();
        contact.providerId = providerId;
        contact.groupId = groupId;
        contact.practiceId = practiceId;
        contact.name = name;
        contact.email = email;
        contact.role = given.role();
        contact.createdBy = caller.username();
        contact.createdAt = clock.instant();
        contact.persist();
        changed(contact);
        audit.record(caller, new AuditLog.Change("contact.added", "contact", contact.id.toString(), contact.tenancy(), null,
                ContactView.of(contact)));
        return contact;
    }

    @Transactional
    public void remove(Caller caller, Contact contact) {
        contact.delete();
        changed(contact);
        audit.record(caller, new AuditLog.Change("contact.removed", "contact", contact.id.toString(), contact.tenancy(),
                ContactView.of(contact), null));
    }

    /** The contacts rule depends on them: evaluate what they belong to again. */
    private void changed(Contact contact) {
        inputChanged.fire(contact.practiceId == null ? PolicyInputChanged.group(contact.groupId)
                : PolicyInputChanged.practice(contact.groupId, contact.practiceId));
    }

    /** Whether it looks like an email address, as every address people give Rampart is checked. */
    public static boolean isEmailAddress(String value) {
        return EMAIL.matcher(value).matches();
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
