package io.rampart.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import io.rampart.protocol.agent.v1.CheckDefinition;

/**
 * CheckDefinition.sources was a map<string, string> and is now a list of key/value entries: protobuf's map encoding
 * ("a map field is equivalent on the wire to a repeated message field of entries with key = 1 and value = 2",
 * protobuf.dev, Maps, backwards compatibility), so agents and control planes of both forms read each other.
 */
class CheckSourcesTest {

    @Test
    void readsTheSourcesAControlPlaneWithTheMapFormSent() throws IOException {
        ByteString wire = mapForm("nas-copy", Map.of("path", "/mnt/nas/backups"), Map.of("user", "backup"));

        CheckDefinition check = CheckDefinition.parseFrom(wire);

        assertThat(check.getCheckId()).isEqualTo("nas-copy");
        assertThat(CheckSources.of(check)).containsExactly(Map.entry("path", "/mnt/nas/backups"), Map.entry("user", "backup"));
    }

    @Test
    void writesWhatAnAgentWithTheMapFormReads() throws IOException {
        CheckDefinition.Builder check = CheckDefinition.newBuilder().setCheckId("nas-copy");
        CheckSources.addAll(check, Map.of("path", "/mnt/nas/backups"));

        assertThat(check.build().toByteString()).isEqualTo(mapForm("nas-copy", Map.of("path", "/mnt/nas/backups")));
    }

    @Test
    void ofAKeySentTwiceTheLastValueCountsAsForAMap() {
        CheckDefinition check = CheckDefinition.newBuilder().addSources(CheckSources.of("path", "/old"))
                .addSources(CheckSources.of("path", "/new")).build();

        assertThat(CheckSources.of(check)).containsExactly(Map.entry("path", "/new"));
    }

    /** A CheckDefinition as protobuf writes one whose field 30 is a map: one entry message per key. */
    @SafeVarargs
    private static ByteString mapForm(String checkId, Map<String, String>... entries) throws IOException {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, checkId);
        for (Map<String, String> entry : entries) {
            Map.Entry<String, String> only = entry.entrySet().iterator().next();
            ByteString.Output entryBytes = ByteString.newOutput();
            CodedOutputStream entryOut = CodedOutputStream.newInstance(entryBytes);
            entryOut.writeString(1, only.getKey());
            entryOut.writeString(2, only.getValue());
            entryOut.flush();
            out.writeBytes(30, entryBytes.toByteString());
        }
        out.flush();
        return bytes.toByteString();
    }
}
