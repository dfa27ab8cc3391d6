package io.rampart.controlplane.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import io.rampart.controlplane.alerts.DigestEmails.Digest;
import io.rampart.controlplane.alerts.DigestEmails.InMaintenance;
import io.rampart.controlplane.alerts.DigestEmails.Line;
import io.rampart.controlplane.alerts.DigestEmails.Standing;
import io.rampart.controlplane.alerts.settings.NotificationSettings;
import io.rampart.controlplane.alerts.settings.NotificationSettings.ForGroup;
import io.rampart.controlplane.alerts.settings.ProviderNotificationSettings;
import io.rampart.controlplane.contacts.Contact;
import io.rampart.controlplane.contacts.ContactBook;
import io.rampart.controlplane.maintenance.MaintenanceConditions;
import io.rampart.controlplane.maintenance.MaintenanceWindows;
import io.rampart.controlplane.policy.rules.ReferencePolicy;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.Provider;

/**
 * Writes each provider's digest (to its digest address) and each group's (to its group managers)
 * once a day at their local digest time, or up to six hours later if no control plane was running
 * then; a digest later than that would be news of yesterday, so it is skipped. digest_written makes
 * each one once per local day, whichever replica gets there first.
 */
@ApplicationScoped
public class DailyDigests {

    private static final Logger LOG = Logger.getLogger(DailyDigests.class);
    private static final Duration LATEST = Duration.ofHours(6);
    private static final List<String> RULE_ORDER = ReferencePolicy.rules().stream().map(Rule::id).toList();

    @Inject
    EntityManager entityManager;
    @Inject
    NotificationSettings settings;
    @Inject
    ContactBook contacts;
    @Inject
    WebLinks links;
    @Inject
    MaintenanceWindows windows;
    @Inject
    Clock clock;

    @Scheduled(every = "${rampart.notifications.digest-every:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void writeScheduled() {
        writeDue(clock.instant());
    }

    /** Writes the digests due at {@code now} (the delivery job sends them); returns how many. */
    @Transactional
    public int writeDue(Instant now) {
        int written = 0;
        for (ProviderNotificationSettings provider : ProviderNotificationSettings.<ProviderNotificationSettings> list("digestEmail is not null")) {
            Optional<LocalDate> day = dueDay(now, ZoneId.of(provider.timeZone), provider.digestTime);
            if (day.isPresent() && firstTime("PROVIDER", provider.providerId, day.get(), now)) {
                owe(provider.providerId, null, List.of(provider.digestEmail), providerDigest(provider.providerId, now), now);
                written++;
            }
        }
        Map<UUID, List<Contact>> managersByGroup = Contact.<Contact> list("practiceId is null and role = ?1", Contact.Role.GROUP_MANAGER)
                .stream().collect(Collectors.groupingBy(c -> c.groupId));
        for (Map.Entry<UUID, List<Contact>> group : managersByGroup.entrySet()) {
            ForGroup groupSettings = settings.forGroup(group.getKey());
            Optional<LocalDate> day = dueDay(now, groupSettings.zone(), groupSettings.digestTime());
            PracticeGroup practiceGroup = PracticeGroup.findById(group.getKey());
            if (practiceGroup.archived()) {
                // an archived group has left the digests (its managers are told nothing more about it)
                continue;
            }
            if (day.isPresent() && firstTime("GROUP", group.getKey(), day.get(), now)) {
                owe(practiceGroup.providerId, practiceGroup.id, group.getValue().stream().map(c -> c.email).distinct().toList(),
                        groupDigest(practiceGroup, now), now);
                written++;
            }
        }
        return written;
    }

    /** The local day whose digest is due at {@code now}, if it is at most six hours past its time. */
    static Optional<LocalDate> dueDay(Instant now, ZoneId zone, LocalTime digestTime) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime at = local.with(digestTime);
        if (at.isAfter(local)) {
            at = at.minusDays(1);
        }
        return Duration.between(at, local).compareTo(LATEST) < 0 ? Optional.of(at.toLocalDate()) : Optional.empty();
    }

    /** The provider's digest as it would be written at {@code now}. */
    @Transactional
    public Digest providerDigest(UUID providerId, Instant now) {
        Provider provider = Provider.findById(providerId);
        List<PracticeGroup> groups = PracticeGroup.list("providerId = ?1 and archivedAt is null", providerId);
        ZoneId zone = settings.forProvider(providerId).zone();
        return compose(provider.name, groups, now, zone, links.home());
    }

    /** The group's digest as it would be written at {@code now}. */
    @Transactional
    public Digest groupDigest(PracticeGroup group, Instant now) {
        return compose(group.name, List.of(group), now, settings.forGroup(group.id).zone(), links.home());
    }

    private Digest compose(String scopeName, List<PracticeGroup> groups, Instant now, ZoneId zone, String url) {
        List<UUID> groupIds = groups.stream().map(g -> g.id).toList();
        Map<UUID, String> groupNames = groups.stream().collect(Collectors.toMap(g -> g.id, g -> g.name));
        if (groupIds.isEmpty()) {
            return DigestEmails.compose(scopeName, new Standing(0, Map.of()), List.of(), List.of(), Map.of(), now, zone, url);
        }
        // decommissioned practices have left the digests; their alerts were closed with them
        Map<UUID, String> practiceNames = Practice.<Practice> list("groupId in ?1 and decommissionedAt is null", groupIds).stream()
                .collect(Collectors.toMap(p -> p.id, p -> p.name));
        Map<String, Integer> byStatus = new HashMap<>();
        for (Object[] row : entityManager.createQuery(
                "select status, count(*) from PracticeCompliance where groupId in :groups and status is not null and practiceId in "
                        + "(select p.id from Practice p where p.groupId in :groups and p.decommissionedAt is null) group by status",
                Object[].class)
                .setParameter("groups", groupIds).getResultList()) {
            byStatus.put(String.valueOf(row[0]), ((Number) row[1]).intValue()); // PracticeStatus (compliance stores the name)
        }
        Map<UUID, ZoneId> zones = groupIds.stream().collect(Collectors.toMap(id -> id, id -> settings.forGroup(id).zone()));
        Map<UUID, InMaintenance> maintenance = new HashMap<>();
        for (Practice practice : entityManager.createQuery("select p from Practice p where p.groupId in :groups and p.decommissionedAt is null and"
                + MaintenanceConditions.coveredJpqlBetween("p.id", ":now", ":now"), Practice.class)
                .setParameter("groups", groupIds).setParameter("now", now).getResultList()) {
            windows.inEffect(practice.id, now).ifPresent(window -> maintenance.put(practice.id, new InMaintenance(groupNames.get(practice.groupId),
                    practice.name, window.endsAt, zones.get(practice.groupId), window.reason)));
        }
        // opened inside a window that (or another that) still covers the practice: planned work, not news yet
        Set<UUID> planned = new HashSet<>(entityManager.createQuery("select a.id from Alert a where a.groupId in :groups and a.status <> :resolved and"
                + MaintenanceConditions.coveredJpqlBetween("a.practiceId", "a.openedAt", "a.openedAt") + "and"
                + MaintenanceConditions.coveredJpqlBetween("a.practiceId", ":now", ":now"), UUID.class)
                .setParameter("groups", groupIds).setParameter("resolved", Alert.Status.RESOLVED).setParameter("now", now).getResultList());
        Function<Alert, Line> line = alert -> new Line(groupNames.get(alert.groupId), practiceNames.getOrDefault(alert.practiceId, "?"), alert,
                planned.contains(alert.id));
        Comparator<Line> byPlace = Comparator.comparing(Line::groupName).thenComparing(Line::practiceName)
                .thenComparingInt(l -> policyOrder(l.alert().ruleId));
        // the alerts a decommissioning closed are not "recovered": the practice has left the digests with them
        List<Line> open = Alert.<Alert> list("groupId in ?1 and status <> ?2", groupIds, Alert.Status.RESOLVED).stream()
                .filter(alert -> practiceNames.containsKey(alert.practiceId)).map(line).sorted(byPlace).toList();
        // nor are those nobody could have heard of: opened while the agent was silent and ended quietly, or failed and
        // recovered inside a maintenance window (nothing was emailed about either)
        List<Line> recovered = entityManager.createQuery("select a from Alert a where a.groupId in :groups and a.status = :resolved"
                + " and a.resolvedAt > :since and a.resolvedAt <= :now and a.silenced = false and not ("
                + MaintenanceConditions.coveredJpqlBetween("a.practiceId", "a.openedAt", "a.openedAt") + "and"
                + MaintenanceConditions.coveredJpqlBetween("a.practiceId", "a.resolvedAt", "a.resolvedAt") + ")", Alert.class)
                .setParameter("groups", groupIds).setParameter("resolved", Alert.Status.RESOLVED)
                .setParameter("since", now.minus(Duration.ofHours(24))).setParameter("now", now).getResultStream()
                .filter(alert -> practiceNames.containsKey(alert.practiceId)).map(line).sorted(byPlace).toList();
        return DigestEmails.compose(scopeName, new Standing(practiceNames.size(), byStatus), open, recovered, maintenance, now, zone, url);
    }

    /** Rules in the order of the policy table, which goes from the most frequent copy to the people around it. */
    private static int policyOrder(String ruleId) {
        int index = RULE_ORDER.indexOf(ruleId);
        return index < 0 ? RULE_ORDER.size() : index;
    }

    private boolean firstTime(String scope, UUID scopeId, LocalDate day, Instant now) {
        return entityManager.createNativeQuery(
                "insert into digest_written (scope, scope_id, local_date, written_at) values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, scope).setParameter(2, scopeId).setParameter(3, day).setParameter(4, now).executeUpdate() == 1;
    }

    private void owe(UUID providerId, UUID groupId, List<String> recipients, Digest digest, Instant now) {
        // one digest per address, however many group managers share it
        for (String recipient : new java.util.LinkedHashSet<>(recipients.stream().map(r -> r.strip().toLowerCase(java.util.Locale.ROOT)).toList())) {
            Notification notification = new Notification();
            notification.id = UUID.randomUUID();
            notification.channel = Notification.Channel.EMAIL;
            notification.providerId = providerId;
            notification.groupId = groupId;
            notification.kind = Notification.Kind.DIGEST;
            notification.recipient = recipient;
            notification.destination = Notification.destinationOf(Notification.Channel.EMAIL, recipient);
            notification.subject = digest.subject();
            notification.body = digest.body();
            notification.status = Notification.Status.PENDING;
            notification.nextAttemptAt = now;
            notification.createdAt = now;
            notification.persist();
        }
        LOG.infof("Daily digest written for %s to %s", groupId == null ? "provider " + providerId : "group " + groupId, recipients);
    }
}
