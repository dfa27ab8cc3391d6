package io.rampart.controlplane.policy.document;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** The fields of a thresholds record, read and built by their names: what a policy document holds for a rule. */
final class ThresholdFields {

    private ThresholdFields() {
    }

    static List<RecordComponent> of(Class<? extends Record> type) {
        return Arrays.asList(type.getRecordComponents());
    }

    static Object value(Record thresholds, RecordComponent field) {
        try {
            return field.getAccessor().invoke(thresholds);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + field.getName() + " of " + thresholds, e);
        }
    }

    /** The record with these values, given in the order of its fields. */
    static <T extends Record> T build(Class<T> type, Object[] values) {
        Class<?>[] types = of(type).stream().map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** Graces may be zero (no AT_RISK period: straight to FAIL); limits may not. */
    static boolean isGrace(String name) {
        return name.equals("grace") || name.endsWith("Grace");
    }
}
