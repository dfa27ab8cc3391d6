package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.CheckResult;

/**
 * result-fields.tsv is what events.proto says: written here from the descriptors (which the agent itself never builds)
 * and checked on every build, so a field added to a check result is shortened like the others from the first build.
 */
class ResultFieldsTest {

    private static final Path TABLE = Path.of("src/main/resources/io/rampart/agent/collectors", ResultFields.RESOURCE);
    private static final String UPDATE = "./mvnw -pl practice-agent test -Dtest=ResultFieldsTest -Dresult-fields.update=true";

    @Test
    void theTableSaysWhatEventsProtoSays() throws IOException {
        String expected = table(CheckResult.getDescriptor());
        if (Boolean.getBoolean("result-fields.update")) {
            Files.writeString(TABLE, expected, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(TABLE, StandardCharsets.UTF_8)).as("events.proto changed: write the table anew with " + UPDATE)
                .isEqualTo(expected);
    }

    @Test
    void theAgentReadsEveryMessageOfACheckResultWithItsTextsAndTheirLimits() {
        assertThat(ResultFields.of(ResultFields.CHECK_RESULT).values()).contains(
                new ResultFields.Field(1, "check_id", false, true, null, EventLimits.MAX_CHECK_ID_CHARS),
                new ResultFields.Field(4, "summary", false, true, null, EventLimits.MAX_SUMMARY_CHARS));
        for (ResultFields.Field field : ResultFields.of(ResultFields.CHECK_RESULT).values()) {
            if (field.message() && !field.messageType().startsWith("google.protobuf.")) {
                assertThat(ResultFields.of(field.messageType())).as(field.messageType()).isNotEmpty();
            }
        }
    }

    @Test
    void aLineOfAnotherShapeIsRefusedWithWhatItGot() {
        assertThatThrownBy(() -> ResultFields.parse("rampart.agent.v1.CheckResult\t1\tcheck_id\tsingle\tstring"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("6 tab-separated cells expected");
    }

    /** The table of every message a check result holds, breadth first from CheckResult, fields in declaration order. */
    static String table(Descriptor root) {
        StringBuilder table = new StringBuilder("# The fields of a check result, for BoundedResult: written from events.proto by ResultFieldsTest ("
                + UPDATE + ").\n# message\tnumber\tname\tsingle|repeated\tstring|message:<type>|other\tmost characters\n");
        Deque<Descriptor> toVisit = new ArrayDeque<>(List.of(root));
        Set<String> seen = new HashSet<>();
        while (!toVisit.isEmpty()) {
            Descriptor type = toVisit.poll();
            if (!seen.add(type.getFullName())) {
                continue;
            }
            for (FieldDescriptor field : type.getFields()) {
                String kind = switch (field.getJavaType()) {
                    case STRING -> "string";
                    case MESSAGE -> "message:" + field.getMessageType().getFullName();
                    default -> "other";
                };
                if (field.isMapField() || (field.isRepeated() && kind.equals("other"))) {
                    // BoundedResult counts a list by its entries on the wire, which a packed list or a map does not have
                    throw new IllegalStateException(field.getFullName() + ": BoundedResult shortens lists of texts and messages only");
                }
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    toVisit.add(field.getMessageType());
                }
                table.append(String.join("\t", type.getFullName(), Integer.toString(field.getNumber()), field.getName(),
                        field.isRepeated() ? "repeated" : "single", kind, Integer.toString(kind.equals("string") ? EventLimits.maxChars(field) : 0)))
                        .append('\n');
            }
        }
        return table.toString();
    }
}
