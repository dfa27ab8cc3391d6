package io.rampart.agent.collectors;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import io.rampart.protocol.EventLimits;
import io.rampart.protocol.agent.v1.CheckResult;

/**
 * Keeps a check result small enough to be delivered (under {@link EventLimits#MAX_EVENT_BYTES} once in its event), so
 * that a collector never makes an event the agent would have to set aside. What can grow without bound: lists (files
 * not in a read-back's manifest, unreadable files, backups dated in the future, repository locks, media seen) and
 * texts (a tool's output, a message passed to {@code rampart-agent report}). A result within the limit is returned as
 * it is; a larger one keeps the first items of each long list (a list of texts ends with "… and N more") and the start
 * of each long text ("… (N more characters)"), and its summary says what was left out. Counts the observation carries
 * (files verified, file count) stay true.
 */
public final class BoundedResult {

    /** Room left for the event around the result (ids, practice, time), in bytes. */
    static final int TARGET_BYTES = EventLimits.MAX_EVENT_BYTES - 8 * 1024;
    private static final int FIRST_MAX_ITEMS = 1000;
    private static final int FIRST_MAX_CHARS = 16 * 1024;
    private static final int LEAST_MAX_CHARS = 200;

    private BoundedResult() {
    }

    /**
     * The result itself when it fits, else a shortened copy that does (see the class comment). Either way every text
     * is cut to what the control plane takes in its field ({@link EventLimits#maxChars}: a summary 4000 chars, other
     * texts 8000), so a long message given to {@code rampart-agent report} is shortened, never refused.
     */
    public static CheckResult of(CheckResult original) {
        CheckResult cut = withinFieldLimits(original);
        CheckResult result = cut.equals(original) ? original : cut;
        if (result.getSerializedSize() <= TARGET_BYTES) {
            return result;
        }
        int maxItems = FIRST_MAX_ITEMS;
        int maxChars = FIRST_MAX_CHARS;
        while (true) {
            CheckResult.Builder bounded = result.toBuilder();
            List<String> leftOut = new ArrayList<>();
            shorten(bounded, "", maxItems, maxChars, leftOut);
            if (!leftOut.isEmpty()) {
                String note = "; too much to report at once, so the agent listed only " + String.join(", ", leftOut);
                bounded.setSummary(text(bounded.getSummary(), EventLimits.MAX_SUMMARY_CHARS - Math.min(note.length(), 1000)) + text(note, 1000));
            }
            CheckResult candidate = bounded.build();
            if (candidate.getSerializedSize() <= TARGET_BYTES || (maxItems == 1 && maxChars == LEAST_MAX_CHARS)) {
                return candidate;
            }
            maxItems = Math.max(1, maxItems / 2);
            maxChars = Math.max(LEAST_MAX_CHARS, maxChars / 2);
        }
    }

    private static CheckResult withinFieldLimits(CheckResult result) {
        CheckResult.Builder bounded = result.toBuilder();
        shorten(bounded, "", Integer.MAX_VALUE, Integer.MAX_VALUE, new ArrayList<>());
        return bounded.build();
    }

    private static void shorten(Message.Builder message, String path, int maxItems, int maxChars, List<String> leftOut) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (field.isRepeated()) {
                shortenList(message, field, name, maxItems, maxChars, leftOut);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                message.setField(field, text((String) message.getField(field), Math.min(maxChars, EventLimits.maxChars(field))));
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && message.hasField(field)) {
                Message.Builder nested = ((Message) message.getField(field)).toBuilder();
                shorten(nested, name, maxItems, maxChars, leftOut);
                message.setField(field, nested.build());
            }
        }
    }

    private static void shortenList(Message.Builder message, FieldDescriptor field, String name, int maxItems, int maxChars,
            List<String> leftOut) {
        int count = message.getRepeatedFieldCount(field);
        List<Object> kept = new ArrayList<>();
        boolean texts = field.getJavaType() == FieldDescriptor.JavaType.STRING;
        int keep = count <= maxItems ? count : texts ? Math.max(0, maxItems - 1) : maxItems;
        for (int i = 0; i < keep; i++) {
            Object item = message.getRepeatedField(field, i);
            if (item instanceof String text) {
                kept.add(text(text, Math.min(maxChars, EventLimits.maxChars(field))));
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
    }

    /** The text, or its start and "… (N more characters)", in at most {@code maxChars} chars altogether. */
    static String text(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int room = Math.max(1, maxChars - ("… (" + text.length() + " more characters)").length());
        int end = Character.isHighSurrogate(text.charAt(room - 1)) ? room - 1 : room;
        String shortened = text.substring(0, end) + "… (" + (text.length() - end) + " more characters)";
        return shortened.length() <= maxChars ? shortened : text.substring(0, Math.max(0, maxChars));
    }
}
