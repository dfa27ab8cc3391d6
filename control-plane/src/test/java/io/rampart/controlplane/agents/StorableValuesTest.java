package io.rampart.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;

import io.rampart.protocol.agent.v1.RecordedEvent;

/** The walk's table of durations keeps up with the schema: a new Duration field must be classified. */
class StorableValuesTest {

    @Test
    void everyDurationOfTheEventSchemaIsEitherAnElapsedTimeOrMayBeNegative() {
        List<String> durations = new ArrayList<>();
        collectDurations(RecordedEvent.getDescriptor(), new HashSet<>(), durations);

        assertThat(durations).isNotEmpty().allSatisfy(name -> assertThat(
                StorableValues.ELAPSED_DURATIONS.contains(name) || StorableValues.SIGNED_DURATIONS.contains(name))
                .as(name + " is named in StorableValues.ELAPSED_DURATIONS or SIGNED_DURATIONS").isTrue());
        assertThat(StorableValues.ELAPSED_DURATIONS).allSatisfy(name -> assertThat(durations).contains(name));
    }

    @Test
    void identifiersAreShorterThanText() {
        assertThat(StorableValues.maxChars(io.rampart.protocol.agent.v1.MediaSeen.getDescriptor().findFieldByName("media_id")))
                .isEqualTo(StorableValues.MAX_ID_CHARS);
        assertThat(StorableValues.maxChars(io.rampart.protocol.agent.v1.MediaSeen.getDescriptor().findFieldByName("label")))
                .isEqualTo(StorableValues.MAX_TEXT_CHARS);
    }

    private static void collectDurations(Descriptor type, Set<String> visited, List<String> into) {
        if (!visited.add(type.getFullName())) {
            return;
        }
        for (FieldDescriptor field : type.getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (field.getMessageType().getFullName().equals(Duration.getDescriptor().getFullName())) {
                    into.add(field.getFullName());
                } else {
                    collectDurations(field.getMessageType(), visited, into);
                }
            }
        }
    }
}
