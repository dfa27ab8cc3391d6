package io.rampart.controlplane.policy.document;

import java.lang.reflect.RecordComponent;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.rampart.controlplane.shared.InvalidInput;
import io.rampart.controlplane.shared.Refusal.FieldError;

/**
 * Reads a policy document from JSON and checks it, collecting every problem with the field it is
 * in, so one answer lists all there is to fix. Refuses: an unknown or missing rule, an unknown,
 * missing or unparsable setting, a limit of zero or less, a negative grace, a grace longer than
 * the limit it guards, fewer than 2 USB drives in rotation, and any value outside its range (see
 * {@link ThresholdRanges}: a limit of 1 min..10 years, narrower for some; a count of 1..50; a retention of up to
 * 100 years). A valid document never makes a rule divide by zero or overflow.
 */
public final class PolicyReader {

    /** Beyond this a limit is a typo, and adding graces to it could overflow. */
    static final Duration LONGEST = Duration.ofDays(3650);
    /** The shortest limit (not grace) a threshold may have. */
    static final Duration SHORTEST_LIMIT = Duration.ofMinutes(1);
    static final Period LONGEST_RETENTION = Period.ofYears(100);

    private PolicyReader() {
    }

    /**
     * The document, or {@link InvalidInput} with every problem.
     *
     * @param where the document's path in the request body ("" when the body is the document), prefixed to every field
     */
    public static PolicyDocument read(JsonNode document, String where) {
        List<FieldError> errors = new ArrayList<>();
        String rulesPath = path(where, "rules");
        if (document == null || !document.isObject()) {
            errors.add(new FieldError(where.isEmpty() ? "rules" : where, "required: a policy document, {\"rules\": {...}}"));
            throw invalid(errors);
        }
        document.fieldNames().forEachRemaining(name -> {
            if (!name.equals("rules")) {
                errors.add(new FieldError(path(where, name), "unknown setting; a policy document has only \"rules\""));
            }
        });
        JsonNode rules = document.get("rules");
        if (rules == null || !rules.isObject()) {
            errors.add(new FieldError(rulesPath, "required: an object with a setting for each rule (" + String.join(", ", RuleKinds.ids()) + ")"));
            throw invalid(errors);
        }
        rules.fieldNames().forEachRemaining(id -> {
            if (RuleKinds.byId(id).isEmpty()) {
                errors.add(new FieldError(path(rulesPath, id), "unknown rule; the rules are " + String.join(", ", RuleKinds.ids())));
            }
        });
        Map<String, RuleSetting> settings = new LinkedHashMap<>();
        for (RuleKind<?> kind : RuleKinds.ALL) {
            RuleSetting setting = readRule(kind, rules.get(kind.id()), path(rulesPath, kind.id()), errors);
            if (setting != null) {
                settings.put(kind.id(), setting);
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new PolicyDocument(settings);
    }

    private static InvalidInput invalid(List<FieldError> errors) {
        return new InvalidInput("The policy is invalid (" + errors.size() + (errors.size() == 1 ? " problem" : " problems")
                + "); nothing was changed", errors);
    }

    /** The rule's setting, or null after adding its problems to {@code errors}. */
    private static <T extends Record> RuleSetting readRule(RuleKind<T> kind, JsonNode rule, String rulePath, List<FieldError> errors) {
        int before = errors.size();
        if (rule == null || rule.isNull()) {
            errors.add(new FieldError(rulePath, "missing; list every rule, and set \"enabled\": false to switch one off"));
            return null;
        }
        if (!rule.isObject()) {
            errors.add(new FieldError(rulePath, "must be an object with \"enabled\" and the rule's thresholds"));
            return null;
        }
        List<RecordComponent> fields = ThresholdFields.of(kind.thresholdsType());
        Set<String> known = new TreeSet<>();
        known.add("enabled");
        fields.forEach(f -> known.add(f.getName()));
        for (Iterator<String> names = rule.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(path(rulePath, name), "unknown setting; " + kind.id() + " has " + String.join(", ", known)));
            }
        }
        JsonNode enabled = rule.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            errors.add(new FieldError(path(rulePath, "enabled"), "required: true or false"));
        }
        Map<String, Object> values = new HashMap<>();
        for (RecordComponent field : fields) {
            String fieldPath = path(rulePath, field.getName());
            Object value = readValue(field, rule.get(field.getName()), fieldPath, errors);
            if (value != null) {
                values.put(field.getName(), value);
            }
        }
        for (RuleKind.Guard guard : kind.guards()) {
            if (values.get(guard.grace()) instanceof Duration grace && values.get(guard.limit()) instanceof Duration limit
                    && grace.compareTo(limit) > 0) {
                errors.add(new FieldError(path(rulePath, guard.grace()),
                        "longer than the " + guard.limit() + " it guards (" + limit + "); a grace must not exceed its limit"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        Object[] ordered = fields.stream().map(f -> values.get(f.getName())).toArray();
        return new RuleSetting(enabled.booleanValue(), ThresholdFields.build(kind.thresholdsType(), ordered));
    }

    /** The field's value when it is present, well-formed and in range; otherwise null after adding the problem. */
    private static Object readValue(RecordComponent field, JsonNode node, String fieldPath, List<FieldError> errors) {
        Class<?> type = field.getType();
        boolean grace = ThresholdFields.isGrace(field.getName());
        if (type == Duration.class) {
            String example = grace ? "PT2H" : "PT26H or P7D";
            if (node == null || node.isNull() || !node.isTextual()) {
                errors.add(new FieldError(fieldPath, "required: an ISO-8601 duration such as " + example));
                return null;
            }
            Duration value;
            try {
                value = Duration.parse(node.textValue());
            } catch (DateTimeException | ArithmeticException e) {
                errors.add(new FieldError(fieldPath, "not an ISO-8601 duration: \"" + node.textValue() + "\" (write it like " + example + ")"));
                return null;
            }
            if (!value.isNegative() && value.getNano() != 0) {
                errors.add(new FieldError(fieldPath, "whole seconds only: \"" + node.textValue() + "\" (write it like " + example + ")"));
                return null;
            }
            if (!grace && !value.isNegative() && !value.isZero() && value.compareTo(SHORTEST_LIMIT) < 0) {
                // no backup, sync or heartbeat is judged by the second; rules divide by these limits
                errors.add(new FieldError(fieldPath, "must be at least 1 minute (PT1M)"));
                return null;
            }
            ThresholdRanges.Longest longest = ThresholdRanges.LONGEST_BY_FIELD.getOrDefault(field.getName(),
                    new ThresholdRanges.Longest(LONGEST, "10 years (P3650D)"));
            return inRange(value.isNegative(), value.isZero(), value.compareTo(longest.value()) > 0, grace, fieldPath, longest.words(), errors)
                    ? value
                    : null;
        }
        if (type == Period.class) {
            if (node == null || node.isNull() || !node.isTextual()) {
                errors.add(new FieldError(fieldPath, "required: an ISO-8601 period such as P3Y"));
                return null;
            }
            Period value;
            try {
                value = Period.parse(node.textValue());
            } catch (DateTimeException | ArithmeticException e) {
                errors.add(new FieldError(fieldPath, "not an ISO-8601 period: \"" + node.textValue() + "\" (write it like P3Y or P36M)"));
                return null;
            }
            boolean tooLong = value.toTotalMonths() + value.getDays() / 31 > LONGEST_RETENTION.toTotalMonths();
            return inRange(value.isNegative(), value.isZero(), tooLong, false, fieldPath, "100 years (P100Y)", errors) ? value : null;
        }
        if (type == int.class) {
            if (node == null || node.isNull() || !node.isIntegralNumber() || !node.canConvertToInt()) {
                errors.add(new FieldError(fieldPath, "required: a whole number"));
                return null;
            }
            int value = node.intValue();
            ThresholdRanges.Count range = ThresholdRanges.COUNTS.get(field.getName());
            if (range == null) {
                throw new IllegalStateException("a count without a range in ThresholdRanges.COUNTS: " + fieldPath);
            }
            if (value < 0) {
                errors.add(new FieldError(fieldPath, "must not be negative"));
            } else if (value < range.least()) {
                errors.add(new FieldError(fieldPath, range.leastWords()));
            } else if (value > range.most()) {
                errors.add(new FieldError(fieldPath, "must be at most " + range.most()));
            } else {
                return value;
            }
            return null;
        }
        throw new IllegalStateException("a threshold of type " + type + " has no JSON form yet: " + fieldPath);
    }

    private static boolean inRange(boolean negative, boolean zero, boolean tooLong, boolean grace, String fieldPath, String longest,
            List<FieldError> errors) {
        if (negative) {
            errors.add(new FieldError(fieldPath, "must not be negative"));
        } else if (zero && !grace) {
            errors.add(new FieldError(fieldPath, "must be more than zero"));
        } else if (tooLong) {
            errors.add(new FieldError(fieldPath, "must be at most " + longest));
        } else {
            return true;
        }
        return false;
    }

    private static String path(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }
}
