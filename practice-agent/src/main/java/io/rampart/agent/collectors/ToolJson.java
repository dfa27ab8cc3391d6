package io.rampart.agent.collectors;

import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.LazilyParsedNumber;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

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

    /**
     * The JSON document in {@code text}, JsonNull for a text with none (empty or blank, as gson's JsonParser reads it);
     * throws NotJson when it is not JSON (gson's message says where it breaks) or holds more than one document.
     */
    public static JsonElement parse(String text) throws NotJson {
        // read as gson's JsonParser.parseString reads: the value leniently, then nothing but the end allowed after it
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.LENIENT);
        try {
            try {
                if (reader.peek() == JsonToken.END_DOCUMENT) {
                    return JsonNull.INSTANCE;
                }
            } catch (EOFException e) {
                return JsonNull.INSTANCE;
            }
            JsonElement document = read(reader);
            reader.setStrictness(Strictness.LEGACY_STRICT);
            if (!document.isJsonNull() && reader.peek() != JsonToken.END_DOCUMENT) {
                throw new NotJson("more than one JSON document " + reader.getPath());
            }
            return document;
        } catch (IOException | IllegalStateException e) {
            throw new NotJson(String.valueOf(e.getMessage()));
        }
    }

    /**
     * The next value as gson's tree, built from gson's streaming reader rather than by JsonParser, whose type adapters
     * (40 classes) would stay loaded in the idle agent.
     */
    private static JsonElement read(JsonReader reader) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    object.add(reader.nextName(), read(reader));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(read(reader));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                // the number's text, read when asked for, as JsonParser keeps it
                return new JsonPrimitive(new LazilyParsedNumber(reader.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new IllegalStateException("a JSON value expected " + reader.getPath() + ", found " + reader.peek());
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
