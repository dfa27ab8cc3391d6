package io.rampart.agent.collectors;

import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The JSON that restic and borg print ({@code restic snapshots --json}, {@code restic stats --json}, {@code restic
 * cat lock}, {@code borg list --json}, {@code borg info --json}, borg's {@code lock.roster}), read with gson's tree.
 * Not protobuf-java-util's JsonFormat into a Struct: that loads about 200 classes (JsonFormat, Struct's descriptors, a
 * whole Gson) which would stay in the idle agent's memory (README, "Footprint of an idle agent").
 *
 * <p>The getters are lenient as the tools' JSON varies between versions: a field that is missing, null or of another
 * type reads as "", 0, false or an empty list.
 */
public final class ToolJson {

    private ToolJson() {
    }

    /** Thrown when a tool printed something that is not JSON at all. */
    public static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson(String message) {
            super(message);
        }
    }

    /** The JSON document in {@code text}; throws NotJson when it is not one (gson's message says where it breaks). */
    public static JsonElement parse(String text) throws NotJson {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new NotJson(String.valueOf(e.getMessage()));
        }
    }

    /** The element as an object, else an empty one. */
    public static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
    }

    /** The object's field as an object, else an empty one. */
    public static JsonObject object(JsonObject object, String field) {
        return object(object.get(field));
    }

    /** The element's items when it is an array, else none. */
    public static List<JsonElement> items(JsonElement element) {
        return element != null && element.isJsonArray() ? element.getAsJsonArray().asList() : List.of();
    }

    /** The object's field's items when it is an array, else none. */
    public static List<JsonElement> items(JsonObject object, String field) {
        return items(object.get(field));
    }

    /** Whether the object has the field with a value other than null. */
    public static boolean has(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value != null && !value.isJsonNull();
    }

    /** The element when it is a JSON string, else "". */
    public static String text(JsonElement element) {
        return element instanceof JsonPrimitive primitive && primitive.isString() ? primitive.getAsString() : "";
    }

    /** The object's field when it is a JSON string, else "". */
    public static String text(JsonObject object, String field) {
        return text(object.get(field));
    }

    /** The element when it is a JSON number, as a long (bytes, counts, PIDs: whole numbers), else 0. */
    public static long number(JsonElement element) {
        if (element instanceof JsonPrimitive primitive && primitive.isNumber()) {
            // a number printed with a fraction or exponent still has its whole part
            return primitive.getAsBigDecimal().longValue();
        }
        return 0;
    }

    /** The object's field as a long when it is a JSON number, else 0. */
    public static long number(JsonObject object, String field) {
        return number(object.get(field));
    }

    /** The object's field when it is true or false, else false. */
    public static boolean flag(JsonObject object, String field) {
        return object.get(field) instanceof JsonPrimitive primitive && primitive.isBoolean() && primitive.getAsBoolean();
    }
}
