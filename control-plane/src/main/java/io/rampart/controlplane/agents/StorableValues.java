package io.rampart.controlplane.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;

import io.rampart.protocol.EventLimits;

/**
 * Finds the values of a protobuf message that a store after the gRPC hop cannot take, by walking the
 * message with its descriptors: every string, Timestamp, Duration, double and float at any depth, in
 * repeated and map fields too, so a field added to the schema later is covered without a line here.
 *
 * <p>What the stores refuse, and where that comes from:
 * <ul>
 * <li>PostgreSQL {@code text} refuses U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), and
 * {@code jsonb} refuses the {@code \u0000} escape protobuf JSON prints for it ("unsupported Unicode escape
 * sequence"); an unpaired UTF-16 surrogate has no UTF-8 form (protobuf and the JDBC driver write '?' or fail),
 * and as a JSON escape jsonb refuses it too.</li>
 * <li>protobuf's Timestamp covers 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z with nanos
 * 0..999,999,999 ({@code Timestamps.isValid}); outside it, protobuf JSON (the projection's jsonb) throws, and
 * {@code Instant.toString()} of a year past 9999 ("+10000-...") is no timestamptz PostgreSQL can parse.</li>
 * <li>protobuf's Duration covers +-315,576,000,000 s with nanos of the same sign ({@code Durations.isValid}); a
 * duration measured on a monotonic clock is never below zero (see {@link #ELAPSED_DURATIONS} for why the others
 * may be).</li>
 * <li>NaN and infinities print as JSON strings and poison every later sum or comparison.</li>
 * </ul>
 * Far-future nested timestamps inside protobuf's range (a backup dated 2999) are kept: they are evidence of a
 * clock problem the rules show, and PostgreSQL (to 294276 AD) and {@code Instant} hold them.
 */
public final class StorableValues {

    /** The longest free text accepted in one string field, in chars (EventLimits, shared with the agent). */
    public static final int MAX_TEXT_CHARS = EventLimits.MAX_TEXT_CHARS;
    /** The longest identifier (a field named {@code id} or {@code *_id}: snapshot ids, media ids), in chars. */
    public static final int MAX_ID_CHARS = EventLimits.MAX_ID_CHARS;
    /**
     * Durations that can never be below zero, by full field name: measured on a monotonic clock (System.nanoTime)
     * or read from a setting. {@code StorableValuesTest} holds that every Duration field of the schema is named here
     * or in {@link #SIGNED_DURATIONS}.
     */
    static final Set<String> ELAPSED_DURATIONS = Set.of(
            "rampart.agent.v1.ReadBack.duration",
            "rampart.agent.v1.RestoreTestObservation.restore_duration",
            // PostgreSQL's archive_timeout setting: 0 (off) or more
            "rampart.agent.v1.DatabaseSyncObservation.archive_timeout",
            // a reported-job check's expected run time, a setting (sent by the control plane for ping URLs): never below zero
            "rampart.agent.v1.JobReport.max_run_time");
    /**
     * Durations that may be below zero, with why. Refusing them would set evidence aside: a heartbeat refused for a
     * negative uptime after the agent's clock was stepped back would make a live agent look silent for hours.
     */
    static final Set<String> SIGNED_DURATIONS = Set.of(
            // wall-clock differences on the agent (Duration.between two Instants): an NTP step back makes them negative
            "rampart.agent.v1.Heartbeat.uptime",
            "rampart.agent.v1.CheckResult.duration",
            // now() - last_msg_receipt_time on the secondary's clock, stepped the same way
            "rampart.agent.v1.DatabaseSyncObservation.last_message_age",
            // older agents measured it on the secondary against the primary's commit times: two clocks
            "rampart.agent.v1.DatabaseSyncObservation.lag",
            // NUT's battery.runtime as the driver reports it; the ups rule judges it, a refusal would hide the UPS
            "rampart.agent.v1.UpsObservation.runtime",
            // the agent's clock against the control plane's; set by the control plane, not by agents
            "rampart.agent.v1.RecordedEvent.agent_clock_offset");

    /** protobuf's Timestamp range (Timestamps.MIN_VALUE, MAX_VALUE), in seconds since the epoch. */
    static final long TIMESTAMP_MIN_SECONDS = -62_135_596_800L;
    static final long TIMESTAMP_MAX_SECONDS = 253_402_300_799L;
    /** protobuf's Duration range, in seconds (10,000 years). */
    static final long DURATION_MAX_SECONDS = 315_576_000_000L;

    private static final String TIMESTAMP = Timestamp.getDescriptor().getFullName();
    private static final String DURATION = Duration.getDescriptor().getFullName();

    private StorableValues() {
    }

    /** A value a store cannot take: where (a proto path such as "check_result.usb_rotation.media[1].label") and why. */
    public record Problem(String path, String words) {
    }

    /** Every value of the message (at any depth) a store cannot take, in the order of the fields; empty when none. */
    public static List<Problem> problemsOf(Message message) {
        List<Problem> problems = new ArrayList<>();
        walk(message, "", problems);
        return problems;
    }

    private static void walk(Message message, String prefix, List<Problem> problems) {
        for (Map.Entry<FieldDescriptor, Object> set : message.getAllFields().entrySet()) {
            FieldDescriptor field = set.getKey();
            String path = prefix + field.getName();
            if (field.isMapField()) {
                for (Object entry : (List<?>) set.getValue()) {
                    Message pair = (Message) entry;
                    Descriptor type = pair.getDescriptorForType();
                    Object key = pair.getField(type.findFieldByName("key"));
                    String entryPath = path + "[" + (key instanceof String text ? quoted(text) : key) + "]";
                    walkValue(type.findFieldByName("key"), key, entryPath + " (key)", problems);
                    walkValue(type.findFieldByName("value"), pair.getField(type.findFieldByName("value")), entryPath, problems);
                }
            } else if (field.isRepeated()) {
                List<?> values = (List<?>) set.getValue();
                for (int i = 0; i < values.size(); i++) {
                    walkValue(field, values.get(i), path + "[" + i + "]", problems);
                }
            } else {
                walkValue(field, set.getValue(), path, problems);
            }
        }
    }

    private static void walkValue(FieldDescriptor field, Object value, String path, List<Problem> problems) {
        switch (field.getJavaType()) {
            case STRING -> checkText(field, (String) value, path, problems);
            case DOUBLE -> checkNumber(((Double) value), path, problems);
            case FLOAT -> checkNumber(((Float) value).doubleValue(), path, problems);
            case MESSAGE -> {
                Message nested = (Message) value;
                String type = nested.getDescriptorForType().getFullName();
                if (type.equals(TIMESTAMP)) {
                    checkTimestamp((Timestamp) asGenerated(nested, Timestamp.getDefaultInstance()), path, problems);
                } else if (type.equals(DURATION)) {
                    checkDuration(field, (Duration) asGenerated(nested, Duration.getDefaultInstance()), path, problems);
                } else {
                    walk(nested, path + ".", problems);
                }
            }
            default -> {
            }
        }
    }

    private static void checkText(FieldDescriptor field, String text, String path, List<Problem> problems) {
        int nul = text.indexOf('\u0000');
        if (nul >= 0) {
            problems.add(new Problem(path, path + " contains a NUL character (U+0000) at position " + nul
                    + "; PostgreSQL text cannot store it"));
            return;
        }
        int surrogate = unpairedSurrogate(text);
        if (surrogate >= 0) {
            problems.add(new Problem(path, path + " contains an unpaired UTF-16 surrogate (U+"
                    + String.format("%04X", (int) text.charAt(surrogate)) + ") at position " + surrogate
                    + "; it is no Unicode character and has no UTF-8 form"));
            return;
        }
        int limit = maxChars(field);
        if (text.length() > limit) {
            problems.add(new Problem(path, path + " is " + text.length() + " characters long; at most " + limit + " are accepted"));
        }
    }

    /** The most characters a string field may hold. */
    static int maxChars(FieldDescriptor field) {
        return EventLimits.maxChars(field);
    }

    private static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkNumber(double value, String path, List<Problem> problems) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            problems.add(new Problem(path, path + " is " + value + ", not a number any store or sum can use"));
        }
    }

    private static void checkTimestamp(Timestamp timestamp, String path, List<Problem> problems) {
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            problems.add(new Problem(path, path + " has nanos " + timestamp.getNanos() + "; a timestamp's nanos are 0..999999999"));
        } else if (timestamp.getSeconds() < TIMESTAMP_MIN_SECONDS || timestamp.getSeconds() > TIMESTAMP_MAX_SECONDS) {
            problems.add(new Problem(path, path + " is " + timestamp.getSeconds()
                    + " s from 1970; a timestamp must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
        }
    }

    private static void checkDuration(FieldDescriptor field, Duration duration, String path, List<Problem> problems) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNanos();
        if (seconds < -DURATION_MAX_SECONDS || seconds > DURATION_MAX_SECONDS) {
            problems.add(new Problem(path, path + " is " + seconds + " s; a duration lies within +-" + DURATION_MAX_SECONDS
                    + " s (10,000 years)"));
        } else if (nanos <= -1_000_000_000 || nanos >= 1_000_000_000 || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
            problems.add(new Problem(path, path + " has nanos " + nanos + " with " + seconds
                    + " s; nanos are -999999999..999999999 and of the seconds' sign"));
        } else if ((seconds < 0 || nanos < 0) && ELAPSED_DURATIONS.contains(field.getFullName())) {
            problems.add(new Problem(path, path + " is " + java.time.Duration.ofSeconds(seconds, nanos)
                    + ", below zero; it measures time that has passed"));
        }
    }

    /** A well-known type held as a DynamicMessage (a schema read at run time) as its generated class. */
    private static Message asGenerated(Message message, Message prototype) {
        if (prototype.getClass().isInstance(message)) {
            return message;
        }
        return prototype.toBuilder().mergeFrom(message).build();
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    /** The instant of a timestamp already checked by {@link #problemsOf}. */
    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
