package io.rampart.agent.collectors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a check result and of every message inside it, as {@link BoundedResult} needs them: which are texts
 * (with the most characters the control plane takes in each, EventLimits), which are messages (of which type), which
 * are lists. Read from {@code result-fields.tsv} beside this class, which ResultFieldsTest writes from events.proto's
 * descriptors and checks on every build: the agent itself never builds protobuf descriptors, whose classes would stay
 * in every idle agent (2 MB, README "Footprint").
 *
 * <p>A line: message type, field number, field name, {@code single} or {@code repeated}, {@code string},
 * {@code message:<type>} or {@code other}, and the most characters of a string field (0 for the others), separated by
 * tabs; in the order the .proto declares them.
 */
final class ResultFields {

    /** The type the table starts from: what a collector returns. */
    static final String CHECK_RESULT = "rampart.agent.v1.CheckResult";
    static final String RESOURCE = "result-fields.tsv";

    /** One field of a message: its number on the wire and its name in the .proto. */
    record Field(int number, String name, boolean repeated, boolean string, String messageType, int maxChars) {

        boolean message() {
            return messageType != null;
        }
    }

    private static final Map<String, Map<Integer, Field>> TABLE = read();

    private ResultFields() {
    }

    /** The fields of a message type by number, in the .proto's order; empty for a type the table does not know. */
    static Map<Integer, Field> of(String messageType) {
        return TABLE.getOrDefault(messageType, Map.of());
    }

    private static Map<String, Map<Integer, Field>> read() {
        Map<String, Map<Integer, Field>> table = new LinkedHashMap<>();
        try (InputStream in = ResultFields.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the agent's jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Field field = parse(line);
                table.computeIfAbsent(line.split("\t", 2)[0], type -> new LinkedHashMap<>()).put(field.number(), field);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    static Field parse(String line) {
        String[] cells = line.split("\t", -1);
        if (cells.length != 6) {
            throw new IllegalStateException(RESOURCE + ": 6 tab-separated cells expected, got: " + line);
        }
        String type = cells[4];
        return new Field(Integer.parseInt(cells[1]), cells[2], cells[3].equals("repeated"), type.equals("string"),
                type.startsWith("message:") ? type.substring("message:".length()) : null, Integer.parseInt(cells[5]));
    }
}
