package io.rampart.agent.collectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

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
        CheckResult cut = shortened(original, Integer.MAX_VALUE, Integer.MAX_VALUE, new ArrayList<>());
        CheckResult result = cut.equals(original) ? original : cut;
        if (result.getSerializedSize() <= TARGET_BYTES) {
            return result;
        }
        int maxItems = FIRST_MAX_ITEMS;
        int maxChars = FIRST_MAX_CHARS;
        while (true) {
            List<String> leftOut = new ArrayList<>();
            CheckResult.Builder bounded = shortened(result, maxItems, maxChars, leftOut).toBuilder();
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

    /**
     * The result with each list cut to {@code maxItems} and each text to {@code maxChars} (and to its field's limit),
     * rewritten on the wire with the field table (ResultFields) rather than through protobuf's descriptors; what was
     * left out is added to {@code leftOut}.
     */
    private static CheckResult shortened(CheckResult result, int maxItems, int maxChars, List<String> leftOut) {
        try {
            return CheckResult.parseFrom(shorten(result.toByteString(), ResultFields.CHECK_RESULT, "", maxItems, maxChars, leftOut));
        } catch (IOException e) {
            throw new IllegalStateException("the agent could not rewrite its own check result: " + e.getMessage(), e);
        }
    }

    /**
     * One message of type {@code type} rewritten: its texts and lists shortened in the order the .proto declares its
     * fields (so the notes keep that order), every other field (numbers, enums, fields the table does not know) kept
     * as it came.
     */
    private static ByteString shorten(ByteString message, String type, String path, int maxItems, int maxChars, List<String> leftOut)
            throws IOException {
        Map<Integer, ResultFields.Field> fields = ResultFields.of(type);
        Map<Integer, List<ByteString>> values = new HashMap<>();
        ByteString.Output kept = ByteString.newOutput();
        CodedOutputStream keptAsItCame = CodedOutputStream.newInstance(kept);
        CodedInputStream in = message.newCodedInput();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            ResultFields.Field field = fields.get(WireFormat.getTagFieldNumber(tag));
            if (field != null && (field.string() || field.message()) && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                values.computeIfAbsent(field.number(), number -> new ArrayList<>()).add(in.readBytes());
            } else {
                in.skipField(tag, keptAsItCame);
            }
        }
        keptAsItCame.flush();
        ByteString.Output rewritten = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(rewritten);
        for (ResultFields.Field field : fields.values()) {
            List<ByteString> items = values.get(field.number());
            if (items == null) {
                continue;
            }
            String name = path.isEmpty() ? field.name() : path + "." + field.name();
            int count = items.size();
            int keep = !field.repeated() || count <= maxItems ? count : field.string() ? Math.max(0, maxItems - 1) : maxItems;
            for (ByteString item : items.subList(0, keep)) {
                if (field.string()) {
                    out.writeString(field.number(), text(item.toStringUtf8(), Math.min(maxChars, field.maxChars())));
                } else {
                    out.writeBytes(field.number(), shorten(item, field.messageType(), name, maxItems, maxChars, leftOut));
                }
            }
            if (count > keep) {
                if (field.string()) {
                    out.writeString(field.number(), "… and " + (count - keep) + " more");
                }
                leftOut.add("the first " + keep + " of " + count + " " + name);
            }
        }
        out.flush();
        return rewritten.toByteString().concat(kept.toByteString());
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
