package io.rampart.controlplane.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.panache.common.Parameters;

import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Conflict;
import io.rampart.controlplane.shared.Durations;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.NotFound;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.TenantScope;
import io.rampart.controlplane.tenancy.NotVisible;
import io.rampart.controlplane.tenancy.Practice;
import io.rampart.controlplane.tenancy.PracticeGroup;
import io.rampart.controlplane.tenancy.PracticeRepository;

/**
 * Maintenance windows: scheduled (now or later, for one practice or every practice of a group), ended early, or cancelled
 * before they start; every change audited in its transaction. What a window means for alerts is the alerting's business:
 * it reads the windows through {@link MaintenanceConditions} (emails and webhook calls about a practice are held while a
 * window covers it; a failure that recovers inside one is told to nobody).
 *
 * <p>Who: provider admins and technicians for any practice or group of their provider (technicians do the work that needs
 * a window), group managers for their group and its practices, as for acknowledging an alert; practice managers see the
 * windows that cover their practice but schedule none (a window also silences the provider's own emails and webhooks).
 * Outside the caller's scope a window, practice or group does not exist (404).
 *
 * <p>A window lasts at most {@link #LONGEST} (14 days), and so does a chain of windows that overlap or touch
 * ({@link MaintenanceStretch}): long enough for a server replacement or a practice closed over the
 * Christmas and New Year fortnight, short enough that a window nobody remembers cannot hide failing backups for weeks
 * (14 missed nightly copies is already more than most practices can afford to lose). It may be scheduled up to a year ahead.
 */
@ApplicationScoped
public class MaintenanceWindows {

    public static final Duration LONGEST = Duration.ofDays(14);
    static final Duration FURTHEST_AHEAD = Duration.ofDays(366);
    /** A start this little in the past (a browser clock behind the server's) means "now". */
    static final Duration NOW_TOLERANCE = Duration.ofMinutes(5);
    static final int MAX_REASON = 500;
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Inject
    Clock clock;
    @Inject
    AuditLog audit;
    @Inject
    PracticeRepository practices;
    @Inject
    Validator validator;

    /**
     * A window asked for: {@code practiceId} for one practice, or only {@code groupId} for every practice of the group;
     * {@code startsAt} null or within 5 minutes in the past means now; ISO-8601 instants.
     */
    public record Schedule(UUID groupId, UUID practiceId, Instant startsAt,
            @NotNull(message = "when it ends, e.g. 2026-12-01T18:00:00Z") Instant endsAt,
            @NotBlank(message = "say why, e.g. \"replacing the NAS\"") @Size(max = MAX_REASON, message = "at most 500 characters") @Pattern(
                    regexp = "[^\\p{Cntrl}<>]*", message = "must not contain control characters or < >") String reason) {
    }

    /**
     * A window as shown: {@code endsAt} is when it ends (or ended), {@code plannedEndsAt} the end it was scheduled with;
     * {@code practiceId} and {@code practiceName} null for a window of the whole group. {@code state} is as of the answer.
     */
    public record WindowView(UUID id, UUID groupId, String groupName, UUID practiceId, String practiceName, Instant startsAt,
            Instant endsAt, Instant plannedEndsAt, String reason, MaintenanceWindow.State state, String createdBy, Instant createdAt,
            Instant endedEarlyAt, String endedEarlyBy, Instant cancelledAt, String cancelledBy) {
    }

    /** Which windows a list shows. */
    public enum Showing {
        /** active and upcoming (the default) */
        CURRENT, ACTIVE, UPCOMING,
        /** ended or cancelled, newest first */
        PAST, ALL
    }

    /**
     * The windows in the caller's scope, active first then by start; {@code practiceId} narrows to the windows that cover
     * that practice (its own and its group's), {@code groupId} to the windows of that group. At most 200.
     *
     * @throws NotFound for a practice or group outside the scope
     */
    @Transactional
    public List<WindowView> list(Caller caller, Showing showing, UUID groupId, UUID practiceId) {
        TenantScope scope = caller.scope();
        StringBuilder where = new StringBuilder(visibleTo(scope));
        Parameters parameters = parametersOf(scope);
        if (practiceId != null) {
            Practice practice = practices.findIn(scope, practiceId).orElseThrow(NotVisible::practice);
            where.append(" and (practiceId = :filterPractice or (practiceId is null and groupId = :filterPracticeGroup))");
            parameters.and("filterPractice", practice.id).and("filterPracticeGroup", practice.groupId);
        }
        if (groupId != null) {
            groupIn(scope, groupId);
            where.append(" and groupId = :filterGroup");
            parameters.and("filterGroup", groupId);
        }
        Instant now = clock.instant();
        where.append(switch (showing) {
            case CURRENT -> " and cancelledAt is null and endsAt > :now";
            case ACTIVE -> " and cancelledAt is null and startsAt <= :now and endsAt > :now";
            case UPCOMING -> " and cancelledAt is null and startsAt > :now";
            case PAST -> " and (cancelledAt is not null or endsAt <= :now)";
            case ALL -> "";
        });
        if (showing != Showing.ALL) {
            parameters.and("now", now);
        }
        String order = showing == Showing.PAST || showing == Showing.ALL ? " order by startsAt desc" : " order by startsAt, endsAt";
        List<MaintenanceWindow> windows = MaintenanceWindow.<MaintenanceWindow> find(where + order, parameters).page(0, 200).list();
        return views(windows, now);
    }

    /**
     * Schedules a window, or refuses it with every field's problem and changes nothing.
     *
     * @throws InvalidInput       for a request that is incomplete or out of range (field by field)
     * @throws NotFound  for a practice or group outside the caller's scope
     * @throws Conflict 409 for a decommissioned practice or an archived group
     */
    @Transactional
    public WindowView schedule(Caller caller, Schedule request) {
        Schedule given = request == null ? new Schedule(null, null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<Schedule> violation : validator.validate(given)) {
            errors.add(new FieldError(violation.getPropertyPath().toString(), violation.getMessage()));
        }
        TenantScope scope = caller.scope();
        UUID groupId;
        UUID practiceId = null;
        if (given.practiceId() != null) {
            Practice practice = practices.liveIn(scope, given.practiceId());
            if (given.groupId() != null && !given.groupId().equals(practice.groupId)) {
                errors.add(new FieldError("groupId", practice.name + " is in another group; leave groupId empty for a window of the practice"));
            }
            groupId = practice.groupId;
            practiceId = practice.id;
        } else if (given.groupId() != null) {
            PracticeGroup group = groupIn(scope, given.groupId());
            if (group.archived()) {
                throw new Conflict("The group \"" + group.name + "\" is archived; it takes no changes");
            }
            groupId = group.id;
        } else {
            errors.add(new FieldError("practiceId", "choose the practice, or give groupId for every practice of a group"));
            groupId = null;
        }
        Instant now = clock.instant();
        Instant startsAt = startOf(given.startsAt(), now, errors);
        if (given.endsAt() != null && startsAt != null) {
            if (!given.endsAt().isAfter(startsAt)) {
                errors.add(new FieldError("endsAt", "must be after the start (" + AT.format(startsAt) + ")"));
            } else if (Duration.between(startsAt, given.endsAt()).compareTo(LONGEST) > 0) {
                errors.add(new FieldError("endsAt", "at most 14 days after the start; this window would last "
                        + Durations.human(Duration.between(startsAt, given.endsAt()))));
            }
        }
        if (errors.isEmpty()) {
            refuseChaining(new MaintenanceStretch(startsAt, given.endsAt()), scope.providerId(), groupId, practiceId, now, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The maintenance window was not scheduled: " + errors.stream().map(e -> e.field() + " " + e.message())
                    .collect(Collectors.joining("; ")), errors);
        }
        MaintenanceWindow window = new MaintenanceWindow();
        window.id = UUID.randomUUID();
        window.providerId = scope.providerId();
        window.groupId = groupId;
        window.practiceId = practiceId;
        window.startsAt = startsAt;
        window.endsAt = given.endsAt();
        window.plannedEndsAt = given.endsAt();
        window.reason = given.reason().strip();
        window.createdBy = caller.username();
        window.createdAt = now;
        window.persist();
        WindowView after = views(List.of(window), now).get(0);
        audit.record(caller, new AuditLog.Change("maintenance-window.scheduled", "maintenance-window", window.id.toString(), window.tenancy(),
                null, after));
        return after;
    }

    /**
     * Refuses (under {@code endsAt}) a window that, with the windows already scheduled for the same practices, would keep
     * one of them in maintenance longer than {@link #LONGEST} without a break. For a group's window every window in the
     * group counts, since a practice's own window chained to the group's covers that practice without a break too.
     */
    private static void refuseChaining(MaintenanceStretch window, UUID providerId, UUID groupId, UUID practiceId, Instant now,
            List<FieldError> errors) {
        String covering = practiceId == null ? "groupId = :group" : "(practiceId = :practice or (practiceId is null and groupId = :group))";
        Parameters parameters = Parameters.with("provider", providerId).and("group", groupId).and("now", now);
        if (practiceId != null) {
            parameters.and("practice", practiceId);
        }
        List<MaintenanceStretch> scheduled = MaintenanceWindow.<MaintenanceWindow> list("providerId = :provider and " + covering
                + " and cancelledAt is null and endsAt > :now", parameters)
                .stream().map(w -> new MaintenanceStretch(w.startsAt, w.endsAt)).toList();
        MaintenanceStretch stretch = MaintenanceStretch.of(window, scheduled);
        if (stretch.length().compareTo(LONGEST) > 0) {
            errors.add(new FieldError("endsAt", "with the windows already scheduled it would be in maintenance without a break from "
                    + AT.format(stretch.from()) + " to " + AT.format(stretch.to()) + " (" + Durations.human(stretch.length())
                    + "); at most 14 days, so that failing backups cannot stay hidden for weeks: end or cancel one first"));
        }
    }

    /**
     * Ends an active window now: what is still failing is emailed at the next delivery run.
     *
     * @throws NotFound    for a window outside the caller's scope
     * @throws Conflict 409 for a window that has not started (cancel it), has ended or was cancelled
     */
    @Transactional
    public WindowView endEarly(Caller caller, UUID windowId) {
        return change(caller, windowId, MaintenanceWindow.State.ACTIVE, "end it early", "cancel it instead", "maintenance-window.ended-early",
                (window, now) -> {
                    window.endsAt = now;
                    window.endedEarlyAt = now;
                    window.endedEarlyBy = caller.username();
                });
    }

    /**
     * Cancels a window that has not started; the row is kept, saying who cancelled it.
     *
     * @throws NotFound    for a window outside the caller's scope
     * @throws Conflict 409 for a window that has started (end it early), ended or was cancelled
     */
    @Transactional
    public WindowView cancel(Caller caller, UUID windowId) {
        return change(caller, windowId, MaintenanceWindow.State.UPCOMING, "cancel it", "end it early instead", "maintenance-window.cancelled",
                (window, now) -> {
                    window.cancelledAt = now;
                    window.cancelledBy = caller.username();
                });
    }

    /** Locks the window, checks it is in {@code from}, applies {@code change} and audits it as {@code action}. */
    private WindowView change(Caller caller, UUID windowId, MaintenanceWindow.State from, String asked, String instead, String action,
            BiConsumer<MaintenanceWindow, Instant> change) {
        MaintenanceWindow window = lockVisible(caller.scope(), windowId);
        Instant now = clock.instant();
        MaintenanceWindow.State state = window.stateAt(now);
        if (state != from) {
            throw conflict(window, state, asked, instead);
        }
        WindowView before = views(List.of(window), now).get(0);
        change.accept(window, now);
        WindowView after = views(List.of(window), now).get(0);
        audit.record(caller, new AuditLog.Change(action, "maintenance-window", window.id.toString(), window.tenancy(), before, after));
        return after;
    }

    /**
     * The window covering the practice (its own or its group's) at {@code at} that ends last, if any: unscoped, for the
     * alerting (which has no caller).
     */
    public Optional<MaintenanceWindow> inEffect(UUID practiceId, Instant at) {
        Practice practice = Practice.findById(practiceId);
        if (practice == null) {
            return Optional.empty();
        }
        return MaintenanceWindow.<MaintenanceWindow> find("""
                providerId = ?1 and (practiceId = ?2 or (practiceId is null and groupId = ?3)) and cancelledAt is null
                and startsAt <= ?4 and endsAt > ?4 order by endsAt desc""", practice.providerId, practice.id, practice.groupId, at)
                .firstResultOptional();
    }

    private static Conflict conflict(MaintenanceWindow window, MaintenanceWindow.State state, String asked, String instead) {
        String why = switch (state) {
            case UPCOMING -> "it has not started yet (it starts " + AT.format(window.startsAt) + "); " + instead;
            case ACTIVE -> "it started " + AT.format(window.startsAt) + "; " + instead;
            case ENDED -> "it ended " + AT.format(window.endsAt);
            case CANCELLED -> "it was cancelled " + AT.format(window.cancelledAt) + " by " + window.cancelledBy;
        };
        return new Conflict("Cannot " + asked + ": " + why);
    }

    private Instant startOf(Instant asked, Instant now, List<FieldError> errors) {
        if (asked == null || !asked.isAfter(now)) {
            if (asked != null && asked.isBefore(now.minus(NOW_TOLERANCE))) {
                errors.add(new FieldError("startsAt", "must be now or later (it is " + AT.format(now) + "); leave it empty to start now"));
                return null;
            }
            return now;
        }
        if (asked.isAfter(now.plus(FURTHEST_AHEAD))) {
            errors.add(new FieldError("startsAt", "at most a year ahead"));
            return null;
        }
        return asked;
    }

    private MaintenanceWindow lockVisible(TenantScope scope, UUID windowId) {
        return MaintenanceWindow.<MaintenanceWindow> find("id = :id and " + visibleTo(scope), parametersOf(scope).and("id", windowId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> new NotFound("No such maintenance window, or not one you may see"));
    }

    /** A practice manager sees the windows of the practice and those of its whole group; others those of their scope. */
    private static String visibleTo(TenantScope scope) {
        String where = scope.where("providerId", "groupId", null);
        return scope.practiceId() == null ? where : where + " and (practiceId is null or practiceId = :scopePractice)";
    }

    private static Parameters parametersOf(TenantScope scope) {
        Parameters parameters = scope.parameters("providerId", "groupId", null);
        return scope.practiceId() == null ? parameters : parameters.and("scopePractice", scope.practiceId());
    }

    private static PracticeGroup groupIn(TenantScope scope, UUID groupId) {
        return PracticeGroup.<PracticeGroup> find("id = :id and " + scope.where("providerId", "id", null),
                scope.parameters("providerId", "id", null).and("id", groupId)).firstResultOptional().orElseThrow(NotVisible::group);
    }

    private static List<WindowView> views(List<MaintenanceWindow> windows, Instant now) {
        Map<UUID, String> groups = names(PracticeGroup.<PracticeGroup> list("id in ?1", ids(windows, w -> w.groupId)), g -> g.id, g -> g.name);
        Map<UUID, String> practices = names(Practice.<Practice> list("id in ?1", ids(windows, w -> w.practiceId)), p -> p.id, p -> p.name);
        return windows.stream().sorted(Comparator.comparing((MaintenanceWindow w) -> w.stateAt(now) != MaintenanceWindow.State.ACTIVE))
                .map(w -> new WindowView(w.id, w.groupId, groups.get(w.groupId), w.practiceId,
                        w.practiceId == null ? null : practices.get(w.practiceId), w.startsAt, w.endsAt, w.plannedEndsAt, w.reason,
                        w.stateAt(now), w.createdBy, w.createdAt, w.endedEarlyAt, w.endedEarlyBy, w.cancelledAt, w.cancelledBy))
                .toList();
    }

    private static List<UUID> ids(List<MaintenanceWindow> windows, Function<MaintenanceWindow, UUID> id) {
        List<UUID> ids = windows.stream().map(id).filter(java.util.Objects::nonNull).distinct().toList();
        return ids.isEmpty() ? List.of(new UUID(0, 0)) : ids;
    }

    private static <T> Map<UUID, String> names(List<T> rows, Function<T, UUID> id, Function<T, String> name) {
        return rows.stream().collect(Collectors.toMap(id, name));
    }
}
