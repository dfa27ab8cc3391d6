package io.rampart.agent.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

/**
 * Reads the control plane's JSON answers with protobuf's own JSON parser (into
 * {@link com.google.protobuf.Value}), the one JSON library on the agent's compile class path.
 */
final class JsonValues {

    private JsonValues() {
    }

    static Value parse(String json) {
        Value.Builder value = Value.newBuilder();
        try {
            JsonFormat.parser().merge(json, value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the control plane answered with JSON that cannot be read: " + abbreviate(json), e);
        }
        return value.build();
    }

    /** The string field {@code name} of a JSON object; fails clearly when it is missing. */
    static String text(Value object, String name) {
        Struct struct = object.getStructValue();
        Value field = struct.getFieldsOrDefault(name, null);
        if (field == null || field.getKindCase() != Value.KindCase.STRING_VALUE) {
            throw new IllegalStateException("the control plane's answer has no text field '" + name + "': "
                    + abbreviate(object.toString()));
        }
        return field.getStringValue();
    }

    /** A JSON string literal, quoted and escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
