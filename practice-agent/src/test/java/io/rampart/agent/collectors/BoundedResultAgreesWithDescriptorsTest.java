package io.rampart.agent.collectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.CheckResult;

/**
 * BoundedResult shortens results on the wire with its field table; this is the walk through protobuf's descriptors it
 * replaced (the agent's code until 2026-12-01), kept here as the reference both must agree with on random results:
 * nested lists of messages, lists of thousands of items, texts of tens of thousands of characters with surrogate
 * pairs.
 */
class BoundedResultAgreesWithDescriptorsTest {

    @Test
    void theWireWalkShortensRandomResultsAsTheDescriptorWalkDid() {
        int tooLarge = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            CheckResult.Builder result = CheckResult.newBuilder();
            fill(result, random, 0);
            CheckResult raw = result.build();
            tooLarge += raw.getSerializedSize() > BoundedResult.TARGET_BYTES ? 1 : 0;

            assertThat(BoundedResult.of(raw)).as("seed " + seed + ", " + raw.getSerializedSize() + " bytes").isEqualTo(byDescriptors(raw));
        }
        assertThat(tooLarge).as("results too large to deliver, which both must shorten").isGreaterThan(5);
    }

    /** Random values in every field, lists of up to 3,000 items near the top, texts of up to 20,000 characters. */
    private static void fill(Message.Builder message, Random random, int depth) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (random.nextInt(3) == 0 || (field.getContainingOneof() != null && random.nextBoolean())) {
                continue;
            }
            int items = !field.isRepeated() ? 1 : depth == 0 && random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(5);
            for (int i = 0; i < items; i++) {
                Object value = switch (field.getJavaType()) {
                    case STRING -> text(random);
                    case MESSAGE -> {
                        Message.Builder nested = message.newBuilderForField(field);
                        if (depth < 4) {
                            fill(nested, random, depth + 1);
                        }
                        yield nested.build();
                    }
                    case INT -> random.nextInt(1000);
                    case LONG -> random.nextLong();
                    case BOOLEAN -> random.nextBoolean();
                    case DOUBLE -> random.nextDouble();
                    case FLOAT -> random.nextFloat();
                    case ENUM -> field.getEnumType().getValues().get(random.nextInt(field.getEnumType().getValues().size()));
                    default -> null;
                };
                if (value == null) {
                    break;
                }
                if (field.isRepeated()) {
                    message.addRepeatedField(field, value);
                } else {
                    message.setField(field, value);
                }
            }
        }
    }

    private static String text(Random random) {
        int length = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(40);
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(random.nextInt(10) == 0 ? "\uD83D\uDCBE" : random.nextBoolean() ? "é" : "x"); // 💾 is a surrogate pair
        }
        return text.toString();
    }

    /** BoundedResult.of as it was, through descriptors. */
    private static CheckResult byDescriptors(CheckResult original) {
        CheckResult.Builder cutBuilder = original.toBuilder();
        shorten(cutBuilder, "", Integer.MAX_VALUE, Integer.MAX_VALUE, new ArrayList<>());
        CheckResult cut = cutBuilder.build();
        CheckResult result = cut.equals(original) ? original : cut;
        if (result.getSerializedSize() <= BoundedResult.TARGET_BYTES) {
            return result;
        }
        int maxItems = 1000;
        int maxChars = 16 * 1024;
        while (true) {
            CheckResult.Builder bounded = result.toBuilder();
            List<String> leftOut = new ArrayList<>();
            shorten(bounded, "", maxItems, maxChars, leftOut);
            if (!leftOut.isEmpty()) {
                String note = "; too much to report at once, so the agent listed only " + String.join(", ", leftOut);
                bounded.setSummary(BoundedResult.text(bounded.getSummary(), EventLimits.MAX_SUMMARY_CHARS - Math.min(note.length(), 1000))
                        + BoundedResult.text(note, 1000));
            }
            CheckResult candidate = bounded.build();
            if (candidate.getSerializedSize() <= BoundedResult.TARGET_BYTES || (maxItems == 1 && maxChars == 200)) {
                return candidate;
            }
            maxItems = Math.max(1, maxItems / 2);
            maxChars = Math.max(200, maxChars / 2);
        }
    }

    private static void shorten(Message.Builder message, String path, int maxItems, int maxChars, List<String> leftOut) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                List<Object> kept = new ArrayList<>();
                boolean texts = field.getJavaType() == FieldDescriptor.JavaType.STRING;
                int keep = count <= maxItems ? count : texts ? Math.max(0, maxItems - 1) : maxItems;
                for (int i = 0; i < keep; i++) {
                    Object item = message.getRepeatedField(field, i);
                    if (item instanceof String text) {
                        kept.add(BoundedResult.text(text, Math.min(maxChars, EventLimits.maxChars(field))));
                    } else if (item instanceof Message nested) {
                        Message.Builder builder = nested.toBuilder();
                        shorten(builder, name, maxItems, maxChars, leftOut);
                        kept.add(builder.build());
                    } else {
                        kept.add(item);
                    }
                }
                if (count > keep) {
                    if (texts) {
                        kept.add("… and " + (count - keep) + " more");
                    }
                    leftOut.add("the first " + keep + " of " + count + " " + name);
                }
                message.clearField(field);
                kept.forEach(item -> message.addRepeatedField(field, item));
            } else if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                message.setField(field, BoundedResult.text((String) message.getField(field), Math.min(maxChars, EventLimits.maxChars(field))));
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && message.hasField(field)) {
                Message.Builder nested = ((Message) message.getField(field)).toBuilder();
                shorten(nested, name, maxItems, maxChars, leftOut);
                message.setField(field, nested.build());
            }
        }
    }
}
