package io.rampart.controlplane.alerts.settings;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.rampart.controlplane.RampartConfig;
import io.rampart.controlplane.audit.AuditLog;
import io.rampart.controlplane.contacts.ContactBook;
import io.rampart.controlplane.policy.rules.ReferencePolicy;
import io.rampart.controlplane.policy.rules.Rule;
import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.controlplane.shared.Tenancy;
import io.rampart.controlplane.tenancy.PracticeGroup;

/**
 * How a provider and each of its groups want to be told, with the defaults of a provider or
 * group that never said: escalate after 2 h (only if an on-call address is set), digests at
 * 07:00 UTC, no quiet hours, AT_RISK not alerted, and every rule that guards a copy of the
 * data, the restore test, the UPS and the agent critical.
 */
@ApplicationScoped
public class NotificationSettings {

    public static final Duration DEFAULT_ESCALATE_AFTER = Duration.ofHours(2);
    public static final LocalTime DEFAULT_DIGEST_TIME = LocalTime.of(7, 0);
    public static final List<String> DEFAULT_CRITICAL_RULES = List.of("db-sync", "cloud-copy", "nas-copy", "system-image", "restore-test",
            "ups", "agent-heartbeat");
    private static final Duration SHORTEST_ESCALATION = Duration.ofMinutes(5);
    private static final Duration LONGEST_ESCALATION = Duration.ofDays(7);
    /** The longest group window a group may set: a critical failure is never emailed later than this after it is seen. */
    public static final Duration LONGEST_GROUP_WINDOW = Duration.ofMinutes(15);
    private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    RampartConfig config;

    /** A provider's settings as the API shows and takes them (times as HH:mm, durations ISO-8601, e.g. PT2H). */
    public record ProviderSettings(String onCallEmail, String escalateAfter, String digestEmail, String timeZone, String digestTime,
            String updatedBy, Instant updatedAt) {
    }

    public record QuietHoursSetting(String from, String to) {
    }

    /**
     * A group's settings as the API shows and takes them. {@code groupWindow} (ISO-8601, PT0S to PT15M, e.g. PT5M; empty: the
     * installation's default) is how long the first failure, warning or recovery email of a practice waits for the others
     * of the same incident, so that they go out as one email per person.
     */
    public record GroupSettings(Boolean alertOnAtRisk, QuietHoursSetting quietHours, List<String> criticalRules, String timeZone,
            String digestTime, String groupWindow, String updatedBy, Instant updatedAt) {
    }

    /** A provider's settings as the alerting uses them. */
    public record ForProvider(Optional<String> onCallEmail, Duration escalateAfter, Optional<String> digestEmail, ZoneId zone,
            LocalTime digestTime) {
    }

    /** A group's settings as the alerting uses them. */
    public record ForGroup(boolean alertOnAtRisk, Optional<QuietHours> quietHours, Set<String> criticalRules, ZoneId zone,
            LocalTime digestTime, Duration groupWindow) {

        public boolean critical(String ruleId) {
            return criticalRules.contains(ruleId);
        }

        /** When an email about this rule may go out, if written at {@code now}. */
        public Instant releaseAt(String ruleId, Instant now) {
            return critical(ruleId) || quietHours.isEmpty() ? now : quietHours.get().releaseAt(now, zone);
        }
    }

    public ForProvider forProvider(UUID providerId) {
        ProviderNotificationSettings row = ProviderNotificationSettings.findById(providerId);
        if (row == null) {
            return new ForProvider(Optional.empty(), DEFAULT_ESCALATE_AFTER, Optional.empty(), ZoneId.of("UTC"), DEFAULT_DIGEST_TIME);
        }
        return new ForProvider(Optional.ofNullable(row.onCallEmail), Duration.ofSeconds(row.escalateAfterSeconds),
                Optional.ofNullable(row.digestEmail), ZoneId.of(row.timeZone), row.digestTime);
    }

    public ForGroup forGroup(UUID groupId) {
        GroupNotificationSettings row = GroupNotificationSettings.findById(groupId);
        ZoneId zone = PracticeGroup.zoneOf(groupId);
        if (row == null) {
            return new ForGroup(false, Optional.empty(), Set.copyOf(DEFAULT_CRITICAL_RULES), zone, DEFAULT_DIGEST_TIME, defaultGroupWindow());
        }
        return new ForGroup(row.alertOnAtRisk, row.quietFrom == null ? Optional.empty() : Optional.of(new QuietHours(row.quietFrom, row.quietTo)),
                Set.copyOf(rules(row.criticalRules)), zone, row.digestTime, groupWindow(row));
    }

    public ProviderSettings providerSettings(UUID providerId) {
        ProviderNotificationSettings row = ProviderNotificationSettings.findById(providerId);
        return row == null ? new ProviderSettings(null, DEFAULT_ESCALATE_AFTER.toString(), null, "UTC", DEFAULT_DIGEST_TIME.toString(), null, null)
                : view(row);
    }

    public GroupSettings groupSettings(UUID groupId) {
        GroupNotificationSettings row = GroupNotificationSettings.findById(groupId);
        String zone = PracticeGroup.zoneOf(groupId).getId();
        return row == null ? new GroupSettings(false, null, DEFAULT_CRITICAL_RULES, zone, DEFAULT_DIGEST_TIME.toString(),
                defaultGroupWindow().toString(), null, null) : view(row, zone);
    }

    /** The installation's group window (rampart.notifications.group-window), held within PT0S..PT15M. */
    Duration defaultGroupWindow() {
        Duration configured = config.notifications().groupWindow();
        return configured.isNegative() ? Duration.ZERO : configured.compareTo(LONGEST_GROUP_WINDOW) > 0 ? LONGEST_GROUP_WINDOW : configured;
    }

    private Duration groupWindow(GroupNotificationSettings row) {
        return row.groupWindowSeconds == null ? defaultGroupWindow() : Duration.ofSeconds(row.groupWindowSeconds);
    }

    /** Replaces the provider's settings, or refuses them with every field's problem and changes nothing. */
    @Transactional
    public ProviderSettings update(Caller caller, UUID providerId, ProviderSettings request) {
        ProviderSettings given = request == null ? new ProviderSettings(null, null, null, null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        Optional<String> onCall = optionalEmail("onCallEmail", given.onCallEmail(), errors);
        Optional<String> digest = optionalEmail("digestEmail", given.digestEmail(), errors);
        Duration escalateAfter = escalateAfter(given.escalateAfter(), errors);
        ZoneId zone = zone(given.timeZone(), errors);
        LocalTime digestTime = time("digestTime", given.digestTime(), DEFAULT_DIGEST_TIME, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("The notification settings are invalid; nothing was changed", errors);
        }
        ProviderSettings before = providerSettings(providerId);
        ProviderNotificationSettings row = ProviderNotificationSettings.findById(providerId);
        if (row == null) {
            row = new ProviderNotificationSettings();
            row.providerId = providerId;
        }
        row.onCallEmail = onCall.orElse(null);
        row.digestEmail = digest.orElse(null);
        row.escalateAfterSeconds = escalateAfter.toSeconds();
        row.timeZone = zone.getId();
        row.digestTime = digestTime;
        row.updatedBy = caller.username();
        row.updatedAt = clock.instant();
        row.persist();
        ProviderSettings after = view(row);
        audit.record(caller, new AuditLog.Change("notification-settings.changed", "provider", providerId.toString(),
                new Tenancy(providerId, null, null), before, after));
        return after;
    }

    /** Replaces the group's settings, or refuses them with every field's problem and changes nothing. */
    @Transactional
    public GroupSettings update(Caller caller, PracticeGroup group, GroupSettings request) {
        GroupSettings given = request == null ? new GroupSettings(null, null, null, null, null, null, null, null) : request;
        List<FieldError> errors = new ArrayList<>();
        Optional<QuietHours> quiet = quietHours(given.quietHours(), errors);
        List<String> critical = criticalRules(given.criticalRules(), errors);
        // the group's zone also says what typed dates mean (plan reviews, exceptions): a PUT without one keeps it
        ZoneId zone = given.timeZone() == null || given.timeZone().isBlank() ? group.zone() : zone(given.timeZone(), errors);
        LocalTime digestTime = time("digestTime", given.digestTime(), DEFAULT_DIGEST_TIME, errors);
        Optional<Duration> groupWindow = groupWindow(given.groupWindow(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("The notification settings are invalid; nothing was changed", errors);
        }
        GroupSettings before = groupSettings(group.id);
        GroupNotificationSettings row = GroupNotificationSettings.findById(group.id);
        if (row == null) {
            row = new GroupNotificationSettings();
            row.groupId = group.id;
            row.providerId = group.providerId;
        }
        row.alertOnAtRisk = Boolean.TRUE.equals(given.alertOnAtRisk());
        row.quietFrom = quiet.map(QuietHours::from).orElse(null);
        row.quietTo = quiet.map(QuietHours::to).orElse(null);
        row.criticalRules = String.join(",", critical);
        group.moveToZone(zone);
        row.digestTime = digestTime;
        row.groupWindowSeconds = groupWindow.map(Duration::toSeconds).orElse(null);
        row.updatedBy = caller.username();
        row.updatedAt = clock.instant();
        row.persist();
        GroupSettings after = view(row, group.timeZone);
        audit.record(caller, new AuditLog.Change("notification-settings.changed", "group", group.id.toString(),
                new Tenancy(group.providerId, group.id, null), before, after));
        return after;
    }

    private static ProviderSettings view(ProviderNotificationSettings row) {
        return new ProviderSettings(row.onCallEmail, Duration.ofSeconds(row.escalateAfterSeconds).toString(), row.digestEmail, row.timeZone,
                row.digestTime.toString(), row.updatedBy, row.updatedAt);
    }

    private GroupSettings view(GroupNotificationSettings row, String timeZone) {
        return new GroupSettings(row.alertOnAtRisk, row.quietFrom == null ? null : new QuietHoursSetting(row.quietFrom.toString(),
                row.quietTo.toString()), rules(row.criticalRules), timeZone, row.digestTime.toString(), groupWindow(row).toString(),
                row.updatedBy, row.updatedAt);
    }

    /** Empty for "the installation's default"; else PT0S..PT15M (whole seconds). */
    private static Optional<Duration> groupWindow(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            Duration duration = Duration.parse(value.strip());
            if (!duration.isNegative() && duration.compareTo(LONGEST_GROUP_WINDOW) <= 0 && duration.getNano() == 0) {
                return Optional.of(duration);
            }
        } catch (DateTimeParseException e) {
            // reported below with what is expected
        }
        errors.add(new FieldError("groupWindow", "a duration from PT0S (each alert its own email) to PT15M, e.g. PT5M; " + value.strip()
                + " is not"));
        return Optional.empty();
    }

    private static List<String> rules(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    private static Optional<String> optionalEmail(String field, String value, List<FieldError> errors) {
        String email = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            return Optional.empty();
        }
        if (!ContactBook.isEmailAddress(email) || email.length() > 200) {
            errors.add(new FieldError(field, "an email address like on-call@example.com, or empty for none"));
        }
        return Optional.of(email);
    }

    private static Duration escalateAfter(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return DEFAULT_ESCALATE_AFTER;
        }
        try {
            Duration duration = Duration.parse(value.strip());
            if (duration.compareTo(SHORTEST_ESCALATION) >= 0 && duration.compareTo(LONGEST_ESCALATION) <= 0) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below with what is expected
        }
        errors.add(new FieldError("escalateAfter", "a duration between PT5M and P7D, e.g. PT2H"));
        return DEFAULT_ESCALATE_AFTER;
    }

    private static ZoneId zone(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(value.strip());
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "a time zone like Europe/London or UTC"));
            return ZoneId.of("UTC");
        }
    }

    private static LocalTime time(String field, String value, LocalTime fallback, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!HH_MM.matcher(value.strip()).matches()) {
            errors.add(new FieldError(field, "a time of day as HH:mm, e.g. 07:00"));
            return fallback;
        }
        return LocalTime.parse(value.strip());
    }

    private static Optional<QuietHours> quietHours(QuietHoursSetting value, List<FieldError> errors) {
        if (value == null || (blank(value.from()) && blank(value.to()))) {
            return Optional.empty();
        }
        int before = errors.size();
        LocalTime from = blank(value.from()) ? null : time("quietHours.from", value.from(), null, errors);
        LocalTime to = blank(value.to()) ? null : time("quietHours.to", value.to(), null, errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        if (from == null || to == null) {
            errors.add(new FieldError(from == null ? "quietHours.from" : "quietHours.to", "both from and to, or neither"));
            return Optional.empty();
        }
        if (from.equals(to)) {
            errors.add(new FieldError("quietHours.to", "must differ from quietHours.from"));
            return Optional.empty();
        }
        return Optional.of(new QuietHours(from, to));
    }

    private static List<String> criticalRules(List<String> value, List<FieldError> errors) {
        if (value == null) {
            return DEFAULT_CRITICAL_RULES;
        }
        List<String> known = ReferencePolicy.rules().stream().map(Rule::id).toList();
        Set<String> rules = new LinkedHashSet<>();
        for (String rule : value) {
            if (rule == null || !known.contains(rule.strip())) {
                errors.add(new FieldError("criticalRules", "unknown rule " + rule + "; rules are " + String.join(", ", known)));
            } else {
                rules.add(rule.strip());
            }
        }
        return List.copyOf(rules);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
