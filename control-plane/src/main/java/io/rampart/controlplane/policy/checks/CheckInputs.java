package io.rampart.controlplane.policy.checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import io.rampart.controlplane.policy.CheckDefinition;
import io.rampart.controlplane.policy.DesiredConfiguration;
import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;
import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.CheckKind;
import io.rampart.protocol.agent.v1.RestoreTestSettings;

/**
 * What a check may be: an id agents and rules understand, a kind the agent has a collector for, an interval in range,
 * and settings that are the kind's protobuf settings message (each unknown or ill-typed setting refused by name), with
 * a restore test's source naming a check of a kind that can be restored. Pure: the other checks of the set come in.
 */
public final class CheckInputs {

    /** Lower-case words joined by '-', as the rule ids are. */
    static final Pattern CHECK_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** One minute: agents do not run a check more often. */
    public static final long MIN_INTERVAL_SECONDS = 60;
    /** Seven days: the longest limit of the reference policy (a restore test within 7 days). */
    public static final long MAX_INTERVAL_SECONDS = Duration.ofDays(7).toSeconds();
    /** The longest duration a setting may hold: ten years (an archive's reach of three years fits). */
    static final Duration MAX_SETTING_DURATION = Duration.ofDays(3653);
    /** 10 GB/s: more than any NAS serves; a larger read-back rate is a typo. */
    static final double MAX_READ_BACK_MB_PER_SECOND = 10_000;
    /** The kinds whose newest backup the agent's restore test can restore (a folder, a restic or a borg repository). */
    public static final Set<String> RESTORABLE_KINDS = Set.of("BACKUP_FOLDER", "RESTIC_REPOSITORY", "BORG_REPOSITORY");

    private CheckInputs() {
    }

    /** A check that passed every test: its settings as compact protobuf JSON, ready to store. */
    public record ValidCheck(String checkId, String kind, long intervalSeconds, String settings) {
    }

    /** The kind names people use (CheckKind without its prefix), in the protocol's order. */
    public static List<String> kinds() {
        return Arrays.stream(CheckKind.values())
                .filter(k -> k != CheckKind.CHECK_KIND_UNSPECIFIED && k != CheckKind.UNRECOGNIZED)
                .map(k -> k.name().substring("CHECK_KIND_".length())).toList();
    }

    /** The settings message of a kind (e.g. UpsSettings for UPS). */
    public static Descriptor settingsOf(String kind) {
        CheckKind checkKind = CheckKind.valueOf("CHECK_KIND_" + kind);
        FieldDescriptor field = io.rampart.protocol.agent.v1.CheckDefinition.getDescriptor()
                .findFieldByName(DesiredConfiguration.settingsField(checkKind));
        return field.getMessageType();
    }

    /**
     * The check, or InvalidInput naming every wrong field ({@code checkId}, {@code kind}, {@code intervalSeconds},
     * {@code settings.<name>}).
     *
     * @param pathCheckId the check id in the URL when changing one (the body may leave it out, or must say the same)
     * @param others      the kinds of the other checks of the set the check will be part of, by check id: where a restore
     *                    test's source must be
     */
    public static ValidCheck validate(CheckInput input, String pathCheckId, Map<String, String> others) {
        if (input == null) {
            throw new InvalidInput("The request has no body; nothing was changed",
                    List.of(new FieldError("kind", "required: a check, {\"checkId\": ..., \"kind\": ..., \"intervalSeconds\": ..., \"settings\": {...}}")));
        }
        List<FieldError> errors = new ArrayList<>();
        String checkId = input.checkId() == null ? pathCheckId : input.checkId().strip();
        if (pathCheckId != null && input.checkId() != null && !pathCheckId.equals(checkId)) {
            errors.add(new FieldError("checkId", "is \"" + checkId + "\" but the address names \"" + pathCheckId
                    + "\"; to rename a check, add the new one and remove the old"));
        }
        checkId(checkId).ifPresent(message -> errors.add(new FieldError("checkId", message)));
        String kind = input.kind() == null ? null : input.kind().strip().toUpperCase(java.util.Locale.ROOT);
        boolean kindKnown = kind != null && kinds().contains(kind);
        if (!kindKnown) {
            errors.add(new FieldError("kind", kind == null || kind.isEmpty() ? "required: one of " + String.join(", ", kinds())
                    : "\"" + input.kind() + "\" is not a kind of check; one of " + String.join(", ", kinds())));
        }
        if (input.intervalSeconds() == null) {
            errors.add(new FieldError("intervalSeconds", "required: how often the agent runs the check, in seconds (60 to "
                    + MAX_INTERVAL_SECONDS + ")"));
        } else if (input.intervalSeconds() < MIN_INTERVAL_SECONDS || input.intervalSeconds() > MAX_INTERVAL_SECONDS) {
            errors.add(new FieldError("intervalSeconds", input.intervalSeconds() + " s is out of range: from 60 s (1 minute) to "
                    + MAX_INTERVAL_SECONDS + " s (7 days)"));
        }
        String settings = "{}";
        if (kindKnown) {
            Optional<Message> parsed = settings(kind, input.settings(), errors);
            if (parsed.isPresent()) {
                Message message = parsed.get();
                if (message instanceof RestoreTestSettings restore) {
                    restoreSource(checkId, restore.getSourceCheckId(), others, errors);
                }
                settings = print(message);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("The check is not valid; nothing was changed", errors);
        }
        return new ValidCheck(checkId, kind, input.intervalSeconds(), settings);
    }

    /** What is wrong with a check id, if anything. */
    static Optional<String> checkId(String checkId) {
        if (checkId == null || checkId.isEmpty()) {
            return Optional.of("required: lower-case letters, digits and '-', e.g. cloud-copy");
        }
        if (checkId.length() > EventLimits.MAX_CHECK_ID_CHARS) {
            return Optional.of("at most " + EventLimits.MAX_CHECK_ID_CHARS + " characters (this one has " + checkId.length() + ")");
        }
        if (!CHECK_ID.matcher(checkId).matches()) {
            return Optional.of("\"" + checkId + "\" may hold only lower-case letters, digits and single '-' between them, e.g. cloud-copy");
        }
        return Optional.empty();
    }

    /** The settings as the kind's message, or empty with the problems added; each setting is read alone so its error names it. */
    private static Optional<Message> settings(String kind, JsonNode settings, List<FieldError> errors) {
        Descriptor descriptor = settingsOf(kind);
        Message.Builder builder = io.rampart.protocol.agent.v1.CheckDefinition.newBuilder()
                .newBuilderForField(io.rampart.protocol.agent.v1.CheckDefinition.getDescriptor()
                        .findFieldByName(DesiredConfiguration.settingsField(CheckKind.valueOf("CHECK_KIND_" + kind))));
        if (settings == null || settings.isNull()) {
            return Optional.of(builder.build());
        }
        if (!settings.isObject()) {
            errors.add(new FieldError("settings", "must be an object of the " + kind + " settings: " + names(descriptor)));
            return Optional.empty();
        }
        int before = errors.size();
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldDescriptor field = field(descriptor, entry.getKey());
            String name = "settings." + entry.getKey();
            if (field == null) {
                errors.add(new FieldError(name, "is not a setting of " + kind + " checks; they have " + names(descriptor)));
                continue;
            }
            ObjectNode one = JsonNodeFactory.instance.objectNode().set(entry.getKey(), entry.getValue());
            try {
                JsonFormat.parser().merge(one.toString(), builder);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                errors.add(new FieldError(name, expected(field)));
                continue;
            }
            range(field, builder.getField(field)).ifPresent(message -> errors.add(new FieldError(name, message)));
        }
        return errors.size() == before ? Optional.of(builder.build()) : Optional.empty();
    }

    private static void restoreSource(String checkId, String source, Map<String, String> others, List<FieldError> errors) {
        String field = "settings.sourceCheckId";
        if (source.isBlank()) {
            errors.add(new FieldError(field, "required: the check whose newest backup to restore, one of " + restorable(others)));
        } else if (source.equals(checkId)) {
            errors.add(new FieldError(field, "a restore test cannot restore itself; one of " + restorable(others)));
        } else if (!others.containsKey(source)) {
            errors.add(new FieldError(field, "no check \"" + source + "\" in this check set; one of " + restorable(others)));
        } else if (!RESTORABLE_KINDS.contains(others.get(source))) {
            errors.add(new FieldError(field, "\"" + source + "\" is a " + others.get(source) + " check, which cannot be restored; "
                    + "a restore test restores a BACKUP_FOLDER, RESTIC_REPOSITORY or BORG_REPOSITORY check: " + restorable(others)));
        }
    }

    private static String restorable(Map<String, String> others) {
        List<String> ids = others.entrySet().stream().filter(e -> RESTORABLE_KINDS.contains(e.getValue())).map(Map.Entry::getKey)
                .sorted().toList();
        return ids.isEmpty() ? "(none yet: add a folder, restic or borg check first)" : String.join(", ", ids);
    }

    private static FieldDescriptor field(Descriptor descriptor, String name) {
        for (FieldDescriptor field : descriptor.getFields()) {
            if (field.getJsonName().equals(name) || field.getName().equals(name)) {
                return field;
            }
        }
        return null;
    }

    private static String names(Descriptor descriptor) {
        return String.join(", ", descriptor.getFields().stream().map(FieldDescriptor::getJsonName).toList());
    }

    /** What a setting takes, in words. */
    static String expected(FieldDescriptor field) {
        if (field.getType() == FieldDescriptor.Type.MESSAGE && field.getMessageType().getFullName().equals("google.protobuf.Duration")) {
            return "a duration in seconds with an 's', e.g. \"93600s\" for 26 hours";
        }
        return switch (field.getJavaType()) {
            case INT, LONG -> "a whole number";
            case DOUBLE, FLOAT -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "text";
            default -> "a value of type " + field.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Values the agent could not act on: a zero or negative duration, a negative count, a share or percentage out of range. */
    static Optional<String> range(FieldDescriptor field, Object value) {
        if (value instanceof com.google.protobuf.Duration duration) {
            Duration d = Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
            if (d.isNegative() || d.isZero()) {
                return Optional.of("must be longer than 0 s");
            }
            if (d.compareTo(MAX_SETTING_DURATION) > 0) {
                return Optional.of("at most " + MAX_SETTING_DURATION.toSeconds() + "s (10 years)");
            }
            return Optional.empty();
        }
        if (value instanceof String text && text.length() > EventLimits.MAX_CHECK_ID_CHARS) {
            return Optional.of("at most " + EventLimits.MAX_CHECK_ID_CHARS + " characters");
        }
        String name = field.getName();
        if (value instanceof Double share) {
            if (name.equals("read_data_percent") && (share < 0 || share > 100)) {
                return Optional.of("a percentage from 0 to 100");
            }
            if (name.equals("read_back_mb_per_second") && (share < 0 || share > MAX_READ_BACK_MB_PER_SECOND)) {
                return Optional.of("megabytes per second the agent may read, from 0 (the agent's default, 50 MB/s) to "
                        + (long) MAX_READ_BACK_MB_PER_SECOND);
            }
            if (name.equals("read_back_hours_per_day") && (share < 0 || share > 24)) {
                return Optional.of("hours a day the agent may spend reading back, from 0 (the agent's default, 2 hours) to 24");
            }
            if (name.equals("min_size_ratio") && share > 1) {
                return Optional.of("a share of the previous backup from 0 to 1 (e.g. 0.5: half), or -1 for no comparison");
            }
            return Optional.empty();
        }
        if (value instanceof Number number && number.longValue() < 0) {
            return Optional.of("must be 0 or more");
        }
        return Optional.empty();
    }

    private static String print(Message message) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("A settings message that was just parsed does not print: " + e.getMessage(), e);
        }
    }

    /** A stored definition's kinds by check id, for {@code others}. */
    static Map<String, String> kindsOf(List<CheckDefinition> definitions) {
        Map<String, String> kinds = new java.util.HashMap<>();
        definitions.forEach(d -> kinds.put(d.checkId, d.kind));
        return kinds;
    }
}
