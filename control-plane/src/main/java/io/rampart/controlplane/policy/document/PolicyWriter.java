package io.rampart.controlplane.policy.document;

import java.lang.reflect.RecordComponent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A policy document as JSON: durations and periods as ISO-8601 strings ("PT26H", "P3Y"), counts as numbers. */
public final class PolicyWriter {

    private PolicyWriter() {
    }

    public static ObjectNode write(PolicyDocument document) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode rules = root.putObject("rules");
        document.rules().forEach((id, setting) -> {
            ObjectNode rule = rules.putObject(id);
            rule.put("enabled", setting.enabled());
            for (RecordComponent field : ThresholdFields.of(setting.thresholds().getClass())) {
                Object value = ThresholdFields.value(setting.thresholds(), field);
                if (value instanceof Integer number) {
                    rule.put(field.getName(), number);
                } else {
                    rule.put(field.getName(), value.toString());
                }
            }
        });
        return root;
    }
}
