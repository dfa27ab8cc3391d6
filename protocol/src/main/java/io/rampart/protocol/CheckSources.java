package io.rampart.protocol;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rampart.protocol.agent.v1.CheckDefinition;
import io.rampart.protocol.agent.v1.CheckSource;

/**
 * A check's central sources ({@code CheckDefinition.sources}, agent_service.proto) as the map they stand for: the
 * field is a list of key/value entries, with a map's wire form, so that the agent never needs protobuf's descriptors.
 */
public final class CheckSources {

    private CheckSources() {
    }

    /** One entry, e.g. {@code of("path", "/mnt/nas/backups")}. */
    public static CheckSource of(String key, String value) {
        return CheckSource.newBuilder().setKey(key).setValue(value).build();
    }

    /** The entries as a map sorted by key; of a key sent twice the last value counts, as protobuf does for a map. */
    public static Map<String, String> asMap(List<CheckSource> sources) {
        Map<String, String> map = new TreeMap<>();
        sources.forEach(source -> map.put(source.getKey(), source.getValue()));
        return map;
    }

    /** The check's sources as a map sorted by key ({@link #asMap}). */
    public static Map<String, String> of(CheckDefinition check) {
        return asMap(check.getSourcesList());
    }

    /** Adds each setting as an entry, in the map's order. */
    public static void addAll(CheckDefinition.Builder check, Map<String, String> settings) {
        settings.forEach((key, value) -> check.addSources(of(key, value)));
    }
}
